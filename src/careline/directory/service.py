"""Directory use cases."""

from __future__ import annotations

from sqlalchemy.orm import Session

from careline.directory.tables import LocationRow


def location_exists(s: Session, location_id: str) -> bool:
    """For other capabilities: does this location id exist? (inside their transaction)"""
    return s.get(LocationRow, location_id) is not None
