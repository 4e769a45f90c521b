"""client_python's prometheus_client.validation: the metric and label name rules.

validate_metric_name("temperature_celsius")
They live in metrics, which a board loads anyway: one module less in RAM.
"""

from .metrics import validate_labelname, validate_metric_name  # noqa: F401
