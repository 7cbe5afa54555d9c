"""The PHI channel report's shape: one line per channel, counts only (never PHI).

The seeds end their compliance checklist with a question: "can you identify, right
now, every channel through which patient information has been communicated in the
last 30 days?" Each line names a channel (a call direction, a text sender, a
voicemail, an API token, a break-glass opening, a FHIR exchange), how many times
it carried patient information in the period, for how many patients, and whether
an auditor should look at it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ChannelLine(BaseModel):
    """One channel in the period."""

    channel: str = Field(description="calls | texts | voicemails | api-tokens | break-glass | fhir")
    detail: str = Field(description="Which one: 'inbound', a sender, a token's name...")
    count: int = Field(description="Calls, messages, reads or exchanges in the period")
    patients: int = Field(description="Distinct patients involved (known ones)")
    unknown: int = Field(default=0, description="Of `count`, contacts with no known patient")
    flagged: bool = Field(default=False, description="Worth an auditor's look")
    why: str | None = Field(default=None, description="Why it is flagged")
    audit_action: str | None = Field(
        default=None, description="Search the audit log for this action to see the entries"
    )


class PhiChannelReport(BaseModel):
    since: datetime
    until: datetime
    lines: list[ChannelLine]
