"""The package's version and repository: prometheus_express.__version__ and __repo__.

A module of their own, loaded on first use, so a board keeps neither string in RAM. circup
reads both from here: the first file of the package, by name, that sets __version__.
"""

__version__ = "0.0.0+auto.0"
__repo__ = "https://github.com/ssube/prometheus_express.git"
