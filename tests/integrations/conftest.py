"""integration_support importable by name (pytest runs in importlib mode; tests/live, whose
HTTP client and registry these tests reuse, is on pyproject's pythonpath already)."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
