"""TOTP (RFC 6238) second factor with replay protection."""

from __future__ import annotations

from datetime import datetime

import pyotp

ISSUER = "careline"
STEP_SECONDS = 30


def new_secret() -> str:
    return str(pyotp.random_base32())


def provisioning_uri(secret: str, username: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER))


def qr_svg(uri: str) -> str:
    """The provisioning URI as a QR code (SVG text), drawn here so no image service and
    no browser library ever sees the secret."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=6, border=2, xmldecl=False)
    return out.getvalue().decode("utf-8")


def code_at(secret: str, at: datetime) -> str:
    return str(pyotp.TOTP(secret).at(at))


def accepted_step(secret: str, code: str, at: datetime, last_step: int | None) -> int | None:
    """The time step a code belongs to (±1 step of drift), or None if it is wrong or reused."""
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(at.timestamp()) // STEP_SECONDS
    for step in (now_step, now_step - 1, now_step + 1):
        if totp.generate_otp(step) == code:
            if last_step is not None and step <= last_step:
                return None  # a code may be used once
            return step
    return None
