"""Record identifiers: random, opaque, safe to put in URLs and logs (never PHI)."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """A fresh identifier (UUID4, 36 characters)."""
    return str(uuid.uuid4())
