"""Alembic migrations: one history for SQLite and PostgreSQL, shipped inside the package."""
