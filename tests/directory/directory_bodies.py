"""Request bodies for directory tests (valid unless a test overrides a field)."""

from __future__ import annotations

from typing import Any


def location_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Lakeview Family Clinic",
        "code": "lkv",
        "timezone": "America/Chicago",
        "address": {
            "line1": "3200 N Lake Shore Dr",
            "city": "Chicago",
            "region": "IL",
            "postal_code": "60657",
            "country": "US",
        },
        "main_phone": "(312) 555-0142",
        "holiday_subdivision": "il",
        "hours": [{"weekday": d, "opens": "08:00", "closes": "17:00"} for d in range(5)],
        "closures": [],
    }
    body.update(overrides)
    return body


def staff_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "display_name": "Maria Lopez",
        "title": "RN",
        "skills": ["triage", "pediatrics"],
        "languages": ["en", "es-mx"],
        "endpoints": [
            {"kind": "phone", "address": "312-555-0199", "label": "Desk phone"},
            {"kind": "sip", "address": "sip:mlopez@pbx.example.org", "label": "Softphone"},
        ],
    }
    body.update(overrides)
    return body
