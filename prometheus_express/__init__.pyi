# The package's names for type checkers: those it imports, those it loads on first use (the
# table in _lazy.py) and those it gains on CPython (_cpython.py). Not shipped to boards.
from .asgi import make_asgi_app as make_asgi_app
from .blocking import await_http_request as await_http_request
from .exposition import generate_latest as generate_latest
from .exposition import write_text as write_text
from .gc_collector import GC_COLLECTOR as GC_COLLECTOR
from .gc_collector import GCCollector as GCCollector
from .grouping import instance_ip_grouping_key as instance_ip_grouping_key
from .histogram import Histogram as Histogram
from .histogram import Summary as Summary
from .metrics import Counter as Counter
from .metrics import Gauge as Gauge
from .metrics import disable_created_metrics as disable_created_metrics
from .metrics import enable_created_metrics as enable_created_metrics
from .metrics_core import CounterMetricFamily as CounterMetricFamily
from .metrics_core import GaugeHistogramMetricFamily as GaugeHistogramMetricFamily
from .metrics_core import GaugeMetricFamily as GaugeMetricFamily
from .metrics_core import HistogramMetricFamily as HistogramMetricFamily
from .metrics_core import InfoMetricFamily as InfoMetricFamily
from .metrics_core import Metric as Metric
from .metrics_core import StateSetMetricFamily as StateSetMetricFamily
from .metrics_core import SummaryMetricFamily as SummaryMetricFamily
from .metrics_core import UnknownMetricFamily as UnknownMetricFamily
from .negotiation import CONTENT_TYPE_LATEST as CONTENT_TYPE_LATEST
from .negotiation import CONTENT_TYPE_PLAIN_0_0_4 as CONTENT_TYPE_PLAIN_0_0_4
from .negotiation import CONTENT_TYPE_PLAIN_1_0_0 as CONTENT_TYPE_PLAIN_1_0_0
from .negotiation import choose_encoder as choose_encoder
from .negotiation import choose_format as choose_format
from .openmetrics.exposition import write_openmetrics as write_openmetrics
from .platform_collector import PLATFORM_COLLECTOR as PLATFORM_COLLECTOR
from .platform_collector import PlatformCollector as PlatformCollector
from .process_collector import PROCESS_COLLECTOR as PROCESS_COLLECTOR
from .process_collector import ProcessCollector as ProcessCollector
from .push import delete_from_gateway as delete_from_gateway
from .push import push_to_gateway as push_to_gateway
from .push import pushadd_to_gateway as pushadd_to_gateway
from .registry import REGISTRY as REGISTRY
from .registry import CollectorRegistry as CollectorRegistry
from .samples import Exemplar as Exemplar
from .samples import Sample as Sample
from .server import MetricsServer as MetricsServer
from .server import start_http_server as start_http_server
from .state import Enum as Enum
from .state import Info as Info
from .textfile import write_to_textfile as write_to_textfile
from .web import MetricsHandler as MetricsHandler
from .web import ThreadingWSGIServer as ThreadingWSGIServer
from .web import gzip_accepted as gzip_accepted
from .web import make_wsgi_app as make_wsgi_app
from .web import start_wsgi_server as start_wsgi_server

__version__: str
__repo__: str
