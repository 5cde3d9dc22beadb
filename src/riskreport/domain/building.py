"""Building and asset facts, their documented defaults, and the derived value at risk.

Every field is a :class:`Quantity` or :class:`Label` so that defaults stay tagged ``assumption``.

>>> b = default_building()
>>> (b.structure.value, b.use.value, b.structure.provenance.value)
('reinforced_concrete', 'residential', 'assumption')
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from riskreport.domain.quantity import Label, Provenance, Quantity
from riskreport.domain.sources import ASSUMPTIONS_KEY, USER_KEY


class Structure(StrEnum):
    """Structural system; it sets wind and fire vulnerability."""

    REINFORCED_CONCRETE = "reinforced_concrete"
    STEEL = "steel"
    MASONRY = "masonry"
    WOOD = "wood"
    LIGHT_STEEL = "light_steel"
    SANDWICH_PANEL = "sandwich_panel"


class Use(StrEnum):
    """Occupancy; it sets the flood curve, revenue defaults and chronic sensitivities."""

    RESIDENTIAL = "residential"
    OFFICE = "office"
    COMMERCIAL = "commercial"
    INDUSTRIAL = "industrial"
    LOGISTICS = "logistics"
    DATA_CENTER = "data_center"
    HOSPITAL = "hospital"
    SCHOOL = "school"


STRUCTURES: tuple[Structure, ...] = tuple(Structure)
USES: tuple[Use, ...] = tuple(Use)

_A = Provenance.ASSUMPTION
_JRC = "jrc-huizinga-2017"

# Default storeys by structure (assumption): light structures are mostly one-storey sheds/houses.
DEFAULT_FLOORS_ABOVE = {
    Structure.REINFORCED_CONCRETE: 5.0,
    Structure.STEEL: 3.0,
    Structure.MASONRY: 2.0,
    Structure.WOOD: 1.0,
    Structure.LIGHT_STEEL: 1.0,
    Structure.SANDWICH_PANEL: 1.0,
}
DEFAULT_FOOTPRINT_M2 = {  # assumption: typical footprint per storey
    Structure.REINFORCED_CONCRETE: 400.0,
    Structure.STEEL: 1000.0,
    Structure.MASONRY: 150.0,
    Structure.WOOD: 120.0,
    Structure.LIGHT_STEEL: 300.0,
    Structure.SANDWICH_PANEL: 1000.0,
}
# JRC maximum damage, Republic of Korea, construction cost 2010 EUR/m2 [jrc-huizinga-2017],
# converted with 1,531 KRW/EUR (2010 average) and a construction-cost index 2010->2024 of 1.45
# (assumption) -> KRW/m2.
JRC_COST_EUR_M2 = {"residential": 1136.23, "commercial": 1202.06, "industrial": 795.63}
EUR_KRW_2010 = 1531.0
COST_INDEX_2010_2024 = 1.45
CONTENTS_SHARE = {  # contents value / replacement value (assumption)
    Use.RESIDENTIAL: 0.3,
    Use.OFFICE: 0.4,
    Use.COMMERCIAL: 0.5,
    Use.INDUSTRIAL: 0.8,
    Use.LOGISTICS: 1.0,
    Use.DATA_CENTER: 2.0,
    Use.HOSPITAL: 1.0,
    Use.SCHOOL: 0.3,
}
REVENUE_SHARE = {  # annual revenue / replacement value (assumption; residential: imputed rent)
    Use.RESIDENTIAL: 0.04,
    Use.OFFICE: 0.08,
    Use.COMMERCIAL: 0.15,
    Use.INDUSTRIAL: 0.4,
    Use.LOGISTICS: 0.12,
    Use.DATA_CENTER: 0.3,
    Use.HOSPITAL: 0.3,
    Use.SCHOOL: 0.1,
}


def jrc_class(use: Use) -> str:
    """The JRC Asia curve class used for an occupancy."""
    if use is Use.RESIDENTIAL:
        return "residential"
    if use in (Use.INDUSTRIAL, Use.LOGISTICS):
        return "industrial"
    return "commercial"


def cost_per_m2_krw(use: Use) -> float:
    return JRC_COST_EUR_M2[jrc_class(use)] * EUR_KRW_2010 * COST_INDEX_2010_2024


# The building's own facts, in the order reports list them (site facts it may carry are apart).
BUILDING_FIELDS: tuple[str, ...] = (
    "structure",
    "use",
    "year_built",
    "floors_above",
    "floors_below",
    "floor_area_m2",
    "first_floor_height_m",
    "has_piloti",
    "flood_barrier_height_m",
)


@dataclass(frozen=True, slots=True)
class Building:
    """What is known about the building (user input) or assumed (defaults)."""

    structure: Label
    use: Label
    year_built: Quantity
    floors_above: Quantity
    floors_below: Quantity
    floor_area_m2: Quantity
    first_floor_height_m: Quantity
    has_piloti: Label  # "true" | "false"
    flood_barrier_height_m: Quantity
    # Site facts the user may know; None means "estimate from the location".
    ground_elevation_m: Quantity | None = None
    distance_to_river_m: Quantity | None = None
    distance_to_coast_m: Quantity | None = None
    distance_to_forest_m: Quantity | None = None

    @property
    def structure_enum(self) -> Structure:
        return Structure(self.structure.value)

    @property
    def use_enum(self) -> Use:
        return Use(self.use.value)


@dataclass(frozen=True, slots=True)
class Asset:
    replacement_value_krw: Quantity
    contents_value_krw: Quantity
    annual_revenue_krw: Quantity
    insured_fraction: Quantity
    # The request gave a revenue of 0: the building's output is imputed instead (make_asset).
    revenue_imputed: bool = False

    @property
    def contents_given(self) -> bool:
        return self.contents_value_krw.provenance is Provenance.USER_INPUT

    @property
    def value_at_risk_krw(self) -> float:
        """The value a damage fraction applies to: the building, and the contents if given.

        Estimated contents are not added silently; the report shows their loss apart.
        """
        contents = self.contents_value_krw.value if self.contents_given else 0.0
        return self.replacement_value_krw.value + contents


def _assumed(value: float, unit: str, source: str = ASSUMPTIONS_KEY) -> Quantity:
    return Quantity(value, unit, _A, source)


def make_building(
    *,
    structure: Structure | None = None,
    use: Use | None = None,
    year_built: int | None = None,
    floors_above: int | None = None,
    floors_below: int | None = None,
    floor_area_m2: float | None = None,
    first_floor_height_m: float | None = None,
    has_piloti: bool | None = None,
    flood_barrier_height_m: float | None = None,
    ground_elevation_m: float | None = None,
    distance_to_river_m: float | None = None,
    distance_to_coast_m: float | None = None,
    distance_to_forest_m: float | None = None,
) -> Building:
    """Fill what the user did not give with documented defaults tagged ``assumption``."""
    u = Provenance.USER_INPUT
    src = USER_KEY

    def given(v: float | None, unit: str) -> Quantity | None:
        return None if v is None else Quantity(float(v), unit, u, src)

    st = structure or Structure.REINFORCED_CONCRETE
    fa = float(floors_above) if floors_above is not None else DEFAULT_FLOORS_ABOVE[st]
    fb_default = 1.0 if st is Structure.REINFORCED_CONCRETE and fa >= 5 else 0.0
    area = floor_area_m2 if floor_area_m2 is not None else fa * DEFAULT_FOOTPRINT_M2[st]
    return Building(
        structure=Label(st.value, u, src) if structure else Label(st.value, _A, ASSUMPTIONS_KEY),
        use=Label(use.value, u, src) if use else Label(Use.RESIDENTIAL.value, _A, ASSUMPTIONS_KEY),
        year_built=given(year_built, "year") or _assumed(2000.0, "year"),
        floors_above=given(floors_above, "floors") or _assumed(fa, "floors"),
        floors_below=given(floors_below, "floors") or _assumed(fb_default, "floors"),
        floor_area_m2=given(floor_area_m2, "m2") or _assumed(area, "m2"),
        first_floor_height_m=given(first_floor_height_m, "m") or _assumed(0.3, "m"),
        has_piloti=Label(str(bool(has_piloti)).lower(), u, src)
        if has_piloti is not None
        else Label("false", _A, ASSUMPTIONS_KEY),
        flood_barrier_height_m=given(flood_barrier_height_m, "m") or _assumed(0.0, "m"),
        ground_elevation_m=given(ground_elevation_m, "m"),
        distance_to_river_m=given(distance_to_river_m, "m"),
        distance_to_coast_m=given(distance_to_coast_m, "m"),
        distance_to_forest_m=given(distance_to_forest_m, "m"),
    )


def default_building() -> Building:
    return make_building()


def make_asset(
    building: Building,
    *,
    replacement_value_krw: float | None = None,
    contents_value_krw: float | None = None,
    annual_revenue_krw: float | None = None,
    insured_fraction: float | None = None,
) -> Asset:
    """Asset values; missing ones fall back to floor area x published cost and documented shares."""
    u = Provenance.USER_INPUT
    use = building.use_enum
    if replacement_value_krw is not None:
        repl = Quantity(float(replacement_value_krw), "KRW", u, USER_KEY)
    else:
        repl = Quantity(building.floor_area_m2.value * cost_per_m2_krw(use), "KRW", _A, _JRC)
    contents = (
        Quantity(float(contents_value_krw), "KRW", u, USER_KEY)
        if contents_value_krw is not None
        else _assumed(repl.value * CONTENTS_SHARE[use], "KRW")
    )
    # A revenue of 0 (owner-occupied housing, a public building) counts as none given: drought
    # and water stress cost a share of what the building's use produces, and chronic scores are
    # costs over it, so with 0 they would vanish, or divide by nothing. The imputed output
    # (for housing the imputed rent, as national accounts count it) stands in, with a note.
    # site_batch applies the same rule to portfolios.
    revenue = (
        Quantity(float(annual_revenue_krw), "KRW", u, USER_KEY)
        if annual_revenue_krw
        else _assumed(repl.value * REVENUE_SHARE[use], "KRW")
    )
    insured = (
        Quantity(float(insured_fraction), "fraction", u, USER_KEY)
        if insured_fraction is not None
        else _assumed(0.0, "fraction")
    )
    return Asset(repl, contents, revenue, insured, revenue_imputed=annual_revenue_krw == 0)
