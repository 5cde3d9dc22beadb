"""Typhoon wind table: Gumbel fits of annual-maximum 10-minute winds, 1977-2021, from best tracks.

    python -m scripts.data --only typhoon     # writes src/riskreport/domain/data/typhoon_wind.npz

Method (each step's source key in brackets; docs/data/typhoon.md has the discussion):

1. Tracks: JTWC 6-hourly fixes [jtwc-best-track], interpolated to hourly points
   (:mod:`.typhoon_tracks`). Radius of maximum wind R_m from the archive's ``MRD`` where analysed
   (about 2001 on), else R_m = 46.4 exp(-0.0155 V_m + 0.0169 |lat|) km [willoughby-2006].
2. Wind profile around each point: Holland (2008) surface profile [holland-2008]
   ``v(r) = V_m [(R_m/r)^b exp(1 - (R_m/r)^b)]^0.5`` with
   ``b = -4.4e-5 dp^2 + 0.01 dp - 0.014 |lat| + 0.15 v_t^x + 1``, ``x = 0.6 (1 - dp/215)``
   (the pressure-tendency term taken as 0; b bounded to 1-2.5), v_t the forward speed, and the
   pressure deficit dp (hPa) the one that gives V_m through Holland's ``V_m^2 = b dp / (rho e)``
   (rho = 1.15 kg/m3), so only the analysed wind is used. V_m is JTWC's 1-minute wind, which
   includes the forward motion: the field is symmetric and carries the right-of-track maximum
   all round (no separate forward-motion asymmetry).
3. Land: a land cell's wind is multiplied by R = 0.9 while the storm centre is over the sea
   (the sudden loss at the coast of Kaplan and DeMaria 1995 [kaplan-demaria-1995]), pro rata the
   cell's land fraction (ETOPO5 elevation > 0 [etopo5]). Once the centre is over land the best
   track's own intensities carry the decay (JTWC analyses it), so nothing more is applied.
   Centres outside the ETOPO5 box (32.5-39.5 N, 123.5-132.5 E) count as over the sea.
4. 10-minute mean = 0.88 x 1-minute [wmo-harper-2010]; annual maximum per cell, 1977-2021.
5. Gumbel per cell by L-moments (Hosking 1990 [hosking-1990]): beta = l2 / ln 2,
   mu = l1 - 0.5772 beta; the T-year wind is mu - beta ln(-ln(1 - 1/T)).
"""

from __future__ import annotations

from pathlib import Path

import h5py  # type: ignore[import-untyped]  # no stubs; derivation-only (data extra)
import numpy as np
import numpy.typing as npt

from scripts.data.tables import write_grid
from scripts.data.typhoon_tracks import EARTH_RADIUS_KM, F64, Track, hourly, read_fixes

FILENAME = "typhoon_wind.npz"
LAT0, LON0, STEP = 32.5, 123.5, 0.25
N_LAT, N_LON = 29, 37  # 32.5-39.5 N, 123.5-132.5 E, cell centres
FIRST_YEAR, LAST_YEAR = 1977, 2021
# Storm points that can reach the grid: ~800 km or more around the box on every side; farther
# storms give the box less than a breeze under the profile below.
TRACK_WINDOW = (24.0, 48.0, 113.0, 143.0)  # lat min, lat max, lon min, lon max
TEN_MIN_PER_ONE_MIN = 0.88  # [wmo-harper-2010]
LAND_FACTOR = 0.9  # R of Kaplan and DeMaria (1995) [kaplan-demaria-1995]
AIR_DENSITY = 1.15  # kg/m3, Holland (2008) [holland-2008]
EULER_GAMMA = 0.5772156649
_CHUNK = 3000  # storm points per block of the distance matrix (~25 MB of float64)


def willoughby_rmw_km(vmax_ms: F64, lat: F64) -> F64:
    """R_m (km) from Willoughby et al. (2006), eq. 7a [willoughby-2006].

    >>> round(float(willoughby_rmw_km(np.array([40.0]), np.array([30.0]))[0]), 1)
    41.4
    """
    out: F64 = 46.4 * np.exp(-0.0155 * vmax_ms + 0.0169 * np.abs(lat))
    return out


def holland_b(dp_hpa: F64, lat: F64, forward_ms: F64) -> F64:
    """Holland (2008) b_s with zero pressure tendency, bounded to 1-2.5 [holland-2008]."""
    x = 0.6 * (1.0 - dp_hpa / 215.0)
    b = -4.4e-5 * dp_hpa**2 + 0.01 * dp_hpa - 0.014 * np.abs(lat) + 0.15 * forward_ms**x + 1.0
    out: F64 = np.clip(b, 1.0, 2.5)
    return out


def holland_b_for_wind(vmax_ms: F64, lat: F64, forward_ms: F64) -> F64:
    """b_s for the pressure deficit that yields ``vmax_ms`` (fixed point of Holland's relation)."""
    dp = np.full(vmax_ms.shape, 30.0)
    for _ in range(30):  # contracts fast: b changes by < 1e-6 after ~15 rounds
        dp = vmax_ms**2 * AIR_DENSITY * np.e / (holland_b(dp, lat, forward_ms) * 100.0)
    return holland_b(dp, lat, forward_ms)


def profile_ms(r_km: F64, vmax_ms: F64, rmw_km: F64, b: F64) -> F64:
    """Holland surface wind at distance ``r_km`` (arrays broadcast).

    >>> float(profile_ms(np.array(50.0), np.array(40.0), np.array(50.0), np.array(1.3)))
    40.0
    """
    q = (rmw_km / np.maximum(r_km, 1e-3)) ** b
    out: F64 = vmax_ms * np.sqrt(q * np.exp(1.0 - q))
    return out


def _distance_km(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    out: F64 = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0)))
    return out


class Land:
    """ETOPO5 over the Korea box: land fraction of each grid cell, and land under a point."""

    def __init__(self, etopo: Path) -> None:
        with h5py.File(etopo, "r") as f:
            self.lon = np.asarray(f["ETOPO05_X"][...], dtype=np.float64)
            self.lat = np.asarray(f["ETOPO05_Y"][...], dtype=np.float64)
            self.is_land = np.asarray(f["ROSE"][...], dtype=np.float64) > 0.0

    def cell_fraction(self) -> F64:
        """Share of ETOPO5 points with elevation > 0 among those nearest each grid cell."""
        i = np.clip(np.rint((self.lat - LAT0) / STEP).astype(np.int64), 0, N_LAT - 1)
        j = np.clip(np.rint((self.lon - LON0) / STEP).astype(np.int64), 0, N_LON - 1)
        cell = (i[:, None] * N_LON + j[None, :]).ravel()
        land = np.bincount(cell, self.is_land.ravel().astype(np.float64), N_LAT * N_LON)
        count = np.bincount(cell, minlength=N_LAT * N_LON)
        out: F64 = (land / np.maximum(count, 1)).reshape(N_LAT, N_LON)
        return out

    def under(self, lat: F64, lon: F64) -> npt.NDArray[np.bool_]:
        """True where the point's nearest ETOPO5 cell is land; False outside the box."""
        dy, dx = self.lat[1] - self.lat[0], self.lon[1] - self.lon[0]
        i = np.rint((lat - self.lat[0]) / dy).astype(np.int64)
        j = np.rint((lon - self.lon[0]) / dx).astype(np.int64)
        inside = (i >= 0) & (i < self.lat.size) & (j >= 0) & (j < self.lon.size)
        out: npt.NDArray[np.bool_] = np.zeros(lat.shape, dtype=bool)
        out[inside] = self.is_land[i[inside], j[inside]]
        return out


def grid_centres() -> tuple[F64, F64]:
    """Latitudes (N_LAT,) and longitudes (N_LON,) of the cell centres."""
    lat: F64 = LAT0 + STEP * np.arange(N_LAT, dtype=np.float64)
    lon: F64 = LON0 + STEP * np.arange(N_LON, dtype=np.float64)
    return lat, lon


def annual_maxima(track: Track, land: Land) -> F64:
    """10-minute annual-maximum wind (m/s), shape (years, N_LAT, N_LON), years 1977-2021."""
    lat_w0, lat_w1, lon_w0, lon_w1 = TRACK_WINDOW
    keep = (track.year >= FIRST_YEAR) & (track.year <= LAST_YEAR)
    keep &= (track.lat >= lat_w0) & (track.lat <= lat_w1)
    keep &= (track.lon >= lon_w0) & (track.lon <= lon_w1)
    t = track.select(keep)
    rmw = np.where(np.isfinite(t.rmw_km), t.rmw_km, willoughby_rmw_km(t.vmax_ms, t.lat))
    b = holland_b_for_wind(t.vmax_ms, t.lat, np.hypot(t.east_ms, t.north_ms))
    centre_on_land = land.under(t.lat, t.lon)
    glat, glon = grid_centres()
    cell_lat = np.repeat(glat, N_LON)
    cell_lon = np.tile(glon, N_LAT)
    coast_loss = (1.0 - LAND_FACTOR) * land.cell_fraction().ravel()
    n_years = LAST_YEAR - FIRST_YEAR + 1
    maxima = np.zeros((n_years, N_LAT * N_LON))
    for s in range(0, t.lat.size, _CHUNK):
        blk = slice(s, s + _CHUNK)
        r = _distance_km(t.lat[blk, None], t.lon[blk, None], cell_lat[None, :], cell_lon[None, :])
        wind = profile_ms(r, t.vmax_ms[blk, None], rmw[blk, None], b[blk, None])
        over_sea = ~centre_on_land[blk]
        wind[over_sea] *= 1.0 - coast_loss[None, :]
        # Points are in storm-then-time order, so a block holds few distinct years.
        for year in np.unique(t.year[blk]):
            rows = t.year[blk] == year
            k = int(year) - FIRST_YEAR
            maxima[k] = np.maximum(maxima[k], wind[rows].max(axis=0))
    out: F64 = (TEN_MIN_PER_ONE_MIN * maxima).reshape(n_years, N_LAT, N_LON)
    return out


def gumbel_lmoments(sample: F64) -> tuple[F64, F64]:
    """Gumbel location and scale along axis 0 by L-moments [hosking-1990].

    >>> mu, beta = gumbel_lmoments(np.array([10.0, 12.0, 15.0, 20.0]))
    >>> round(float(mu), 2), round(float(beta), 2)
    (11.96, 3.97)
    """
    x = np.sort(sample, axis=0)
    n = x.shape[0]
    weight = (np.arange(n) / (n - 1)).reshape((n,) + (1,) * (x.ndim - 1))
    l1 = x.mean(axis=0)
    l2 = 2.0 * (weight * x).mean(axis=0) - l1
    beta: F64 = l2 / np.log(2.0)
    mu: F64 = l1 - EULER_GAMMA * beta
    return mu, beta


def derive(shared: Path, out: Path) -> list[Path]:
    track = hourly(read_fixes(shared / "typhoon"), step_h=1.0)
    land = Land(shared / "elevation" / "etopo5_korea.nc")
    maxima = annual_maxima(track, land)
    mu, beta = gumbel_lmoments(maxima)
    fields = {
        "gumbel_mu_ms": mu.astype(np.float32),
        "gumbel_beta_ms": beta.astype(np.float32),
        "annual_max_largest_ms": maxima.max(axis=0).astype(np.float32),
        "land_fraction": land.cell_fraction().astype(np.float32),
    }
    meta = {
        "title": "Typhoon 10-minute wind: Gumbel fit of annual maxima 1977-2021, Korea",
        "sources": [
            "jtwc-best-track",
            "holland-2008",
            "willoughby-2006",
            "kaplan-demaria-1995",
            "etopo5",
            "wmo-harper-2010",
            "hosking-1990",
        ],
        "licence": "JTWC best tracks and ETOPO5: public domain (US Government works).",
        "method": (
            "JTWC 6-hourly fixes interpolated hourly; Holland (2008) surface profile around each "
            "point (R_m from the archive, else Willoughby 2006; b from Holland 2008 with the "
            "pressure deficit implied by the 1-min wind); land cells x0.9 (Kaplan-DeMaria 1995) "
            "while the centre is at sea, pro rata ETOPO5 land fraction; 10-min = 0.88 x 1-min; "
            "annual maxima 1977-2021 per 0.25-degree cell; Gumbel by L-moments. "
            "T-year wind = gumbel_mu_ms - gumbel_beta_ms * ln(-ln(1 - 1/T))."
        ),
        "units": "m/s, 10-minute mean at 10 m",
        "years": [FIRST_YEAR, LAST_YEAR],
        "derived_by": "scripts/data/typhoon.py",
    }
    path = write_grid(out / FILENAME, lat0=LAT0, lon0=LON0, step=STEP, fields=fields, meta=meta)
    return [path]
