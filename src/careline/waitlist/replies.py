"""Registers the waitlist's YES/NO handler with `careline.messaging.replies` on import
(imported by the waitlist's API and job modules, so by the app and every worker)."""

from __future__ import annotations

from careline.messaging import replies
from careline.waitlist.service import handle_reply

replies.register(handle_reply)
