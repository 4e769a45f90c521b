from .metrics import validate_labelname as validate_labelname
from .metrics import validate_metric_name as validate_metric_name
