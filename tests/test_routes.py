"""prometheus_express.routes: the ?name[]= filter's query parsing (the server tests send the
requests themselves)."""

from support import raises

from prometheus_express.http import Reject
from prometheus_express.routes import query_names


def test_query_names():
    assert query_names("") == []
    assert query_names("name[]=a") == ["a"]
    assert query_names("name[]=a&x=1&name[]=b") == ["a", "b"]
    assert query_names("name%5B%5D=a&name%5b%5d=b") == ["a", "b"]
    assert query_names("name[]=a%2Fb&name[]=c+d&name[]=e%20f") == ["a/b", "c d", "e f"]
    assert query_names("name[]=&name[]") == [""]
    assert query_names("name=a&names[]=b&=c") == []
    assert query_names("name[]=caf%C3%A9") == ["caf\u00e9"]
    assert query_names("name[]=100%") == ["100%"]
    assert query_names("name[]=%zz") == ["%zz"]
    assert query_names("name[]=a=b") == ["a=b"]


def test_query_names_bad_utf8_is_400():
    e = raises(Reject, query_names, "name[]=%ff")
    assert e.args[0] == 400
