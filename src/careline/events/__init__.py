"""Live events to screens: in-process on SQLite, LISTEN/NOTIFY on PostgreSQL."""
