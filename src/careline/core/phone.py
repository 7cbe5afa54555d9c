"""Phone numbers in E.164, validated by libphonenumber (`phonenumbers`)."""

from __future__ import annotations

import phonenumbers

from careline.core.errors import FieldProblem, ValidationFailed


class InvalidPhoneNumber(ValidationFailed):
    error_id = "invalid-phone-number"
    title = "Invalid phone number"


def to_e164(raw: str, *, default_region: str = "US", field: str = "phone") -> str:
    """Parse a number as people type it and return its E.164 form.

    Raises `InvalidPhoneNumber` naming `field` (never echoing the number: it is PHI).
    """
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber(
            "A phone number is required.", problems=[FieldProblem(field, "must not be empty")]
        )
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        raise InvalidPhoneNumber(
            f"The value of '{field}' is not a phone number.",
            problems=[FieldProblem(field, "is not a phone number")],
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidPhoneNumber(
            f"The value of '{field}' is not a valid, dialable phone number.",
            problems=[FieldProblem(field, "is not a valid phone number for its country")],
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_e164(value: str) -> bool:
    """True when `value` is already a valid number in canonical E.164 form."""
    try:
        return to_e164(value) == value
    except InvalidPhoneNumber:
        return False


def mask(e164: str) -> str:
    """A form safe for logs and screens that must not show the whole number."""
    return f"{e164[:2]}…{e164[-2:]}" if len(e164) > 4 else "…"
