"""The API's routers: ``health``, ``reports`` and ``metrics``."""
