"""Every capability's router, in one list the app includes."""

from __future__ import annotations

from fastapi import APIRouter

from careline.providers.outbox.api import router as outbox_router
from careline.security.api import router as security_router

ROUTERS: list[APIRouter] = [security_router, outbox_router]
