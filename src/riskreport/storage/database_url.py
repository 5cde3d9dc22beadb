"""Translate the plain database URLs users write into the SQLAlchemy URLs the store runs on.

Use::

    store_url("sqlite:///./riskreport.db")      # sqlite:///./riskreport.db (the stdlib driver)
    store_url("postgresql://u@h:5432/db")       # postgresql+psycopg://u@h:5432/db (psycopg 3)
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

# SQLite runs on the standard library's driver in worker threads (see storage.sqlite);
# PostgreSQL on psycopg 3's async driver. Both spellings of each are accepted.
_DRIVERS = {
    "sqlite": "sqlite",
    "sqlite+pysqlite": "sqlite",
    "sqlite+aiosqlite": "sqlite",
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
}


def store_url(url: str | URL) -> URL:
    """``url`` with the driver the store uses; other databases raise ``ValueError``."""
    parsed = make_url(url)
    driver = _DRIVERS.get(parsed.drivername)
    if driver is None:
        raise ValueError(
            f"unsupported database URL scheme {parsed.drivername!r}: "
            "use sqlite:///path/to/file.db or postgresql://user@host:port/database"
        )
    if driver == "sqlite" and parsed.database in (None, "", ":memory:"):
        # Each SQLite connection would get a database of its own, and the store uses several.
        raise ValueError(
            "a SQLite store needs a file (sqlite:///path/to/file.db); "
            "for jobs kept in memory only, use memory://"
        )
    return parsed.set(drivername=driver)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"
