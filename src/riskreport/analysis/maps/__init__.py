"""Flood hazard maps in a folder (GeoTIFF, WRI Aqueduct Floods v2 names), read with rasterio.

- :mod:`.names`: the published file names, parsed and built.
- :mod:`.raster`: one map, sampled through cached windowed reads (the ``maps`` extra).
- :mod:`.folder`: a folder's maps as depth curves at sites (``MapCurves`` for the domain).
- :mod:`.check`: what ``riskreport maps check`` and start-up refuse.
- :mod:`.fetch`: the one place that downloads (``riskreport maps fetch``).

See docs/hazard-maps.md.
"""
