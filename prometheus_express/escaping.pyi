ESCAPING_HEADER_TAG: str
ALLOWUTF8: str
UNDERSCORES: str
DOTS: str
VALUES: str

def escape_metric_name(s: str, escaping: str = "underscores") -> str: ...
def escape_label_name(s: str, escaping: str = "underscores") -> str: ...
