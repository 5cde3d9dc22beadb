"""Alembic migrations of the job store's schema (run by :mod:`riskreport.storage.migrate`)."""
