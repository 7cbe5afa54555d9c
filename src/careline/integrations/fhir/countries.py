"""Countries, for reading `Address.country`: FHIR recommends the ISO 3166 2- or
3-letter code but allows a name, and EHRs send all three ("US", "USA", "United
States"). The ISO 3166-1 data are pycountry's (kept up to date with the standard).
"""

from __future__ import annotations

import pycountry

#: Names EHRs send that are not ISO 3166 (the standard's code for the UK is GB).
_ALIASES = {"UK": "GB", "U.K.": "GB", "U.S.": "US", "U.S.A.": "US", "AMERICA": "US"}


def country_code(value: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a code or English name; None when not a country."""
    if value is None or not value.strip():
        return None
    alias = _ALIASES.get(value.strip().upper())
    if alias is not None:
        return alias
    try:
        found = pycountry.countries.lookup(value.strip())
    except LookupError:
        return None
    return str(found.alpha_2)
