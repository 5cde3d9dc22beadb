"""Translate the plain database URLs users write into SQLAlchemy async driver URLs.

Use::

    async_url("sqlite:///./riskreport.db")      # sqlite+aiosqlite:///./riskreport.db
    async_url("postgresql://u@h:5432/db")       # postgresql+psycopg://u@h:5432/db
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
}


def async_url(url: str | URL) -> URL:
    """The async form of ``url``; URLs that already name a driver are kept as they are."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is not None:
        return parsed.set(drivername=driver)
    if parsed.drivername in _ASYNC_DRIVERS.values():
        return parsed
    raise ValueError(
        f"unsupported database URL scheme {parsed.drivername!r}: "
        "use sqlite:///path/to/file.db or postgresql://user@host:port/database"
    )


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"
