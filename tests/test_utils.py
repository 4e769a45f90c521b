"""prometheus_express.utils: sample values as Go writes them, and text escaping."""

from support import float_text

from prometheus_express.utils import INF, MINUS_INF, NaN, escape_help, escape_value, floatToGoString


def test_whole_floats_keep_one_decimal():
    assert floatToGoString(1.0) == "1.0"
    assert floatToGoString(0.0) == "0.0"
    assert floatToGoString(100.0) == "100.0"
    assert floatToGoString(999999.0) == "999999.0"


def test_ints_render_like_floats():
    assert floatToGoString(0) == "0.0"
    assert floatToGoString(1) == "1.0"
    assert floatToGoString(42) == "42.0"
    assert floatToGoString(999999) == "999999.0"


def test_bools_are_numbers():
    assert floatToGoString(True) == "1.0"
    assert floatToGoString(False) == "0.0"


def test_fractions():
    assert floatToGoString(0.5) == "0.5"
    assert floatToGoString(2.5) == "2.5"
    assert floatToGoString(0.25) == "0.25"
    assert floatToGoString(0.005) == "0.005"
    assert floatToGoString(1e-07) == "1e-07"


def test_seven_or_more_digits_switch_to_an_exponent():
    # Go's %g-like output: exponent once the integer part has 7 digits. Ints keep every digit
    # on every runtime; a float is written as the runtime holds it (a board's 22-bit float
    # holds 1234567.875 for 1234567.5, and its repr says 1234567.9).
    assert floatToGoString(1000000) == "1e+06"
    assert floatToGoString(10**10) == "1e+10"
    assert floatToGoString(123456789) == "1.23456789e+08"
    assert floatToGoString(1795878150) == "1.79587815e+09"
    for value, double_text in (
        (1000000.0, "1e+06"),
        (1500000.0, "1.5e+06"),
        (1234567.5, "1.2345675e+06"),
        (12345678.0, "1.2345678e+07"),
        (1e10, "1e+10"),
        (1e22, "1e+22"),
    ):
        assert floatToGoString(value) == float_text(value, double_text), value


def test_large_ints_stay_exact():
    assert floatToGoString(10**17 + 1) == "1.00000000000000001e+17"
    assert floatToGoString(10**17) == "1e+17"
    assert floatToGoString(12345678901234567890) == "1.234567890123456789e+19"
    assert floatToGoString(9999999999999999) == "9.999999999999999e+15"


def test_negative_values_keep_python_repr():
    # client_python applies the Go exponent rule to positive values only.
    assert floatToGoString(-5) == "-5.0"
    assert floatToGoString(-5.0) == "-5.0"
    assert floatToGoString(-0.5) == "-0.5"
    assert floatToGoString(-1000000.0) == "-1000000.0"
    assert floatToGoString(-1000000) == "-1000000.0"
    # Python's repr switches to an exponent at 17 digits, for negative values too.
    assert floatToGoString(-(10**16)) == "-1e+16"
    assert floatToGoString(-1e16) == "-1e+16"
    assert floatToGoString(-(10**17) - 1) == "-1.00000000000000001e+17"


def test_special_values():
    assert floatToGoString(INF) == "+Inf"
    assert floatToGoString(float("inf")) == "+Inf"
    assert floatToGoString(MINUS_INF) == "-Inf"
    assert floatToGoString(NaN) == "NaN"
    assert floatToGoString(float("nan")) == "NaN"


def test_numeric_strings_are_parsed():
    assert floatToGoString("2.5") == "2.5"
    assert floatToGoString("+Inf") == "+Inf"


def test_escape_help_escapes_backslash_and_newline_only():
    assert escape_help("plain") == "plain"
    assert escape_help("a\\b") == "a\\\\b"
    assert escape_help("a\nb") == "a\\nb"
    assert escape_help('say "hi"') == 'say "hi"'


def test_escape_help_turns_carriage_returns_into_newlines():
    assert escape_help("a\rb") == "a\\nb"
    assert escape_help("a\r\nb") == "a\\nb"
    assert escape_help("a\n\rb") == "a\\n\\nb"


def test_escape_value_also_escapes_quotes():
    assert escape_value('say "hi"') == 'say \\"hi\\"'
    assert escape_value("a\\b\nc") == "a\\\\b\\nc"
    assert escape_value("a\r\nb\rc") == "a\\nb\\nc"


def test_escaping_backslash_before_n_is_not_a_newline():
    # A literal backslash followed by "n" must stay distinguishable from a newline.
    assert escape_value("\\n") == "\\\\n"
    assert escape_value("\n") == "\\n"


def test_non_ascii_passes_through():
    assert escape_value("Grüße, 温度") == "Grüße, 温度"
    assert escape_help("µs") == "µs"


def test_empty_strings():
    assert escape_value("") == ""
    assert escape_help("") == ""
