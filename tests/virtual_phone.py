"""careline on a real loopback server, sending through the Twilio adapter to the virtual
carrier's REST side, and the demo patients' virtual phones: what each number received,
replies and answered calls — all over HTTP, every webhook signed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from careline.api.app import create_app
from careline.providers.twilio.service import TwilioProvider
from careline.providers.virtual.rest import DEFAULT_SERVICE_SID, CarrierState, VirtualCarrierApi
from careline.runtime import Runtime
from live import live_server


@dataclass
class Phones:
    """The virtual phones, driven through the carrier's `/_virtual` routes."""

    state: CarrierState
    url: str

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        r = httpx.post(f"{self.url}/_virtual/phone/{path}", json=body, timeout=60)
        assert r.status_code == 200, r.text
        return r.json()

    def received(self, number: str) -> list[str]:
        """Texts the phone got, oldest first."""
        got = self._post("inbox", {"number": number})["messages"]
        return [m["body"] for m in got if m["to"] == number]

    def reply(self, number: str, body: str) -> list[str]:
        """Text back to the number that last wrote to this phone; careline's answers."""
        last = [m for m in self._post("inbox", {"number": number})["messages"] if m["to"] == number]
        assert last, "this phone has received nothing to reply to"
        return list(
            self._post("reply", {"number": number, "to": last[-1]["from"], "body": body})["replies"]
        )

    def calls(self, number: str) -> list[dict[str, Any]]:
        with self.state.lock:
            return [dict(c) for c in self.state.calls if c["to"] == number]

    def answer(self, sid: str, *, digits: list[str]) -> list[str]:
        """Pick up a ringing call and press `digits`; what the patient heard."""
        return list(self._post("answer", {"sid": sid, "digits": digits})["heard"])


@contextmanager
def on_virtual_carrier(rt: Runtime) -> Iterator[Phones]:
    """Serve careline and the virtual carrier on loopback and point `rt` at the carrier."""
    state = CarrierState(deliver=True)
    saved = rt.provider, rt.settings.public_base_url
    with live_server(create_app(rt)) as careline_url, live_server(VirtualCarrierApi(state)) as url:
        state.inbound_sms_url = f"{careline_url}/telephony/sms/inbound"
        state.careline_url = careline_url
        rt.settings.public_base_url = careline_url
        rt.provider = TwilioProvider(
            account_sid=state.account_sid,
            auth_token=state.auth_token,
            base_url=url,
            messaging_service_sid=DEFAULT_SERVICE_SID,
        )
        try:
            yield Phones(state, url)
        finally:
            rt.provider, rt.settings.public_base_url = saved
