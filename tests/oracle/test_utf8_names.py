"""UTF-8 metric and label names against prometheus_client 0.26, under each escaping scheme.

CPython only. Random metrics of every kind get names outside the legacy rules (dots, dashes,
spaces, non-ASCII letters, leading digits, colons); both libraries accept them (UTF-8 names are
0.26's default) and must write byte-identical text pages under allow-utf-8, underscores, dots
and values, and byte-identical OpenMetrics pages under allow-utf-8 and underscores.

Deliberate differences, kept out of the random inputs and tested on their own:
- 0.26's OpenMetrics writer escapes sample names with the label-name rules and without the
  legacy check its HELP and TYPE lines use: under dots and values every sample name is
  rewritten (requests_total becomes requests__total, or U__requests__total, below a family still
  called requests), and under underscores a ':' in a sample name becomes '_'. Its own parser
  then reads families without samples. Here a sample's name is its family's escaped name plus
  the suffix, so every page reads back as the families written; names with ':' are left out of
  the OpenMetrics comparison.
- 0.26 takes a name ending in a newline for a legacy name (its regular expression's '$'
  matches before a final newline) and writes it unescaped; here it is escaped.
- An empty label name, which 0.26 accepts and writes as `=""`, is refused here.
"""

import prometheus_client as pc
import prometheus_client.openmetrics.exposition as pc_om
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from prometheus_client.openmetrics.parser import text_string_to_metric_families as pc_parse_om
from support import Utf8Names

import prometheus_express as pe
import prometheus_express.openmetrics.exposition as pe_om

_CHARACTERS = 'ab_.:-é温 9"\\'
NAMES = st.text(_CHARACTERS, min_size=1, max_size=6).filter(
    lambda n: not n.startswith("__") and n.strip(":") != ""
)
SCHEMES = ("allow-utf-8", "underscores", "dots", "values")
_KINDS = ("Counter", "Gauge", "Histogram", "Summary", "Info", "Enum")


def _build(lib, registry, kind, name, labelnames, values):
    kwargs = {"registry": registry}
    if kind == "Enum":
        kwargs["states"] = ["on", "off"]
    metric = getattr(lib, kind)(name, "doc", labelnames, **kwargs)
    target = metric.labels(*values) if labelnames else metric
    if kind in ("Counter", "Gauge"):
        target.inc(2)
    elif kind in ("Histogram", "Summary"):
        target.observe(0.5)
    elif kind == "Info":
        target.info({"version": "1.0"})
    else:
        target.state("off")


@settings(max_examples=300, deadline=None)
@given(
    metrics=st.lists(
        st.tuples(
            st.sampled_from(_KINDS),
            NAMES,
            st.lists(NAMES, unique=True, max_size=2),
            st.text('xyé"\n', max_size=3),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda m: m[1],
    )
)
def test_pages_match_client_python_under_every_escaping(metrics):
    theirs, ours = pc.CollectorRegistry(), pe.CollectorRegistry()
    pc.disable_created_metrics()
    pe.disable_created_metrics()
    try:
        with Utf8Names():
            for kind, name, labelnames, value in metrics:
                outcomes = []
                for lib, registry in ((pc, theirs), (pe, ours)):
                    try:
                        _build(lib, registry, kind, name, labelnames, [value] * len(labelnames))
                        outcomes.append(None)
                    except ValueError:  # e.g. "le" on a histogram, the Enum's own name
                        outcomes.append(ValueError)
                assert outcomes[0] == outcomes[1], (kind, name, labelnames, outcomes)
            colon = any(":" in n for _, name, labelnames, _ in metrics for n in [name] + labelnames)
            for escaping in SCHEMES:
                assert pe.generate_latest(ours, escaping) == pc.generate_latest(theirs, escaping)
                if escaping in ("allow-utf-8", "underscores") and not colon:
                    assert pe_om.generate_latest(ours, escaping) == pc_om.generate_latest(
                        theirs, escaping
                    )
    finally:
        pc.enable_created_metrics()
        pe.enable_created_metrics()


@settings(max_examples=100, deadline=None)
@given(
    name=NAMES,
    labelnames=st.lists(NAMES, unique=True, max_size=2),
    escaping=st.sampled_from(SCHEMES),
)
def test_every_openmetrics_page_reads_back_as_the_families_written(name, labelnames, escaping):
    # Where 0.26's own pages do not (see the module docstring): each family keeps its samples.
    # Under underscores and dots a label name of other characters only ("é", "9:") becomes
    # "_" or "__", which any escaping writer gives and a parser refuses as reserved.
    assume(not any(pe_om.escape_label_name(n, escaping).startswith("__") for n in labelnames))
    ours = pe.CollectorRegistry()
    with Utf8Names():
        counter = pe.Counter(name, "doc", labelnames, registry=ours)
        (counter.labels(*["v"] * len(labelnames)) if labelnames else counter).inc()
        page = pe_om.generate_latest(ours, escaping).decode()
    families = list(pc_parse_om(page))
    assert [f.type for f in families] == ["counter"], page
    assert [s.name[len(families[0].name) :] for s in families[0].samples] == [
        "_total",
        "_created",
    ], page
