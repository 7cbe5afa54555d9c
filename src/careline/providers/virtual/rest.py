"""The virtual carrier's REST side: Twilio's 2010-04-01 Messages and Calls API on loopback.

careline's Twilio adapter talks to this exactly as it talks to api.twilio.com
(`CARELINE_TWILIO_API_BASE_URL`), so the adapter is tested over real HTTP with
the provider's documented shapes: form-encoded requests under HTTP basic auth
(Account SID : auth token), JSON resources with `sid`, `status`, RFC 2822 dates,
error bodies `{"code", "message", "more_info", "status"}`, list pages newest
first, and status callbacks POSTed back signed with `X-Twilio-Signature`.

It also does what a carrier does that tests need to provoke on purpose
(`Fault`): throttling (429, code 20429, with Retry-After), outages (5xx),
slow answers, refusals with the provider's error codes (21610 unsubscribed
recipient, 21211 invalid number, 21614 not a mobile number), and accepting a
request and then never answering it — the window in which a client cannot know
whether its message exists.

State lives in memory (`CarrierState`); `/_virtual/...` routes expose it to
tests and to the virtual phone (what each number received; replies travel to
careline's signed inbound-SMS webhook).
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
import phonenumbers
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from careline.core.settings import DEMO_AUTH_TOKEN
from careline.telephony.virtual_carrier import (
    CallerInput,
    CallRecord,
    NumberConfig,
    QueueRegistry,
    ScriptedCaller,
)
from careline.telephony.virtual_carrier import VirtualCarrier as VoiceCarrier

log = logging.getLogger("careline.virtual_carrier")

API_VERSION = "2010-04-01"
MAX_BODY_CHARS = 1600  # Twilio refuses longer bodies with 21617
MAX_REQUEST_BYTES = 64 * 1024
DEFAULT_ACCOUNT_SID = "AC" + "0" * 31 + "1"
DEFAULT_SERVICE_SID = "MG" + "0" * 31 + "1"
#: The published demo token: careline's development settings verify webhooks with it.
DEFAULT_AUTH_TOKEN = DEMO_AUTH_TOKEN


class CarrierError(Exception):
    """A Twilio-shaped error answer."""

    def __init__(self, status: int, code: int, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


def _error_response(exc: CarrierError, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {
            "code": exc.code,
            "message": exc.message,
            "more_info": f"https://www.twilio.com/docs/errors/{exc.code}",
            "status": exc.status,
        },
        status_code=exc.status,
        headers=headers,
    )


@dataclass
class Fault:
    """What the carrier does to the next `times` create requests (of `resource`, to `to`).

    kind: "throttle" (429), "outage" (`status`, default 503), "slow" (answer after
    `seconds`), "refuse" (400 with `code`), "accept-then-hang" (store the resource,
    then hold the answer `seconds`, so the client times out not knowing).
    """

    kind: str
    times: int = 1
    resource: str = "Messages"  # Messages | Calls
    to: str | None = None
    code: int | None = None
    status: int = 503
    seconds: float = 30.0
    retry_after: int = 1


@dataclass
class CarrierState:
    """Everything the carrier holds; thread-safe (tests read it while careline writes)."""

    account_sid: str = DEFAULT_ACCOUNT_SID
    auth_token: str = DEFAULT_AUTH_TOKEN
    #: Where replies from virtual phones are delivered (careline's inbound-SMS webhook).
    inbound_sms_url: str | None = None
    #: careline's origin, for call Urls given as paths (no CARELINE_PUBLIC_BASE_URL).
    careline_url: str | None = None
    #: Send "sent" and "delivered" status callbacks after accepting a message.
    deliver: bool = True
    messages: list[dict[str, Any]] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)
    #: Every create request that reached the carrier, faults included (sid or the error).
    requests: list[dict[str, Any]] = field(default_factory=list)
    faults: deque[Fault] = field(default_factory=deque)
    #: The queues callers wait in (shared with the calls this carrier runs).
    queues: QueueRegistry = field(default_factory=QueueRegistry)
    #: Requests accepted whose answer is being held back right now (accept-then-hang).
    hanging: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    def take_fault(self, resource: str, to: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.resource == resource and fault.to in (None, to):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    def messages_to(self, number: str) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(m) for m in self.messages if number in (m["to"], m["from"])]

    def count(self, resource: str, **match: str) -> int:
        with self.lock:
            rows = self.messages if resource == "Messages" else self.calls
            return sum(all(r.get(k) == v for k, v in match.items()) for r in rows)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _rfc2822(at: datetime | None) -> str | None:
    return format_datetime(at, usegmt=True) if at is not None else None


def _e164(value: str, name: str) -> str:
    code = 21211 if name == "To" else 21212
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise CarrierError(400, code, f"The '{name}' number is not a valid phone number.") from None
    if not phonenumbers.is_valid_number(parsed):
        raise CarrierError(400, code, f"The '{name}' number is not a valid phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """The resource as the provider shows it (dates as RFC 2822, private keys dropped)."""
    out = {k: v for k, v in row.items() if not k.startswith("_")}
    for key in ("date_created", "date_updated", "date_sent", "start_time", "end_time"):
        if key in out:
            out[key] = _rfc2822(out[key])
    return out


class VirtualCarrierApi:
    """The ASGI app over a `CarrierState`."""

    def __init__(self, state: CarrierState) -> None:
        self.state = state
        self.validator = RequestValidator(state.auth_token)
        base = f"/{API_VERSION}/Accounts/{{account}}"
        self.app = Starlette(
            routes=[
                Route(f"{base}/Messages.json", self.messages, methods=["GET", "POST"]),
                Route(f"{base}/Messages/{{sid}}.json", self.message, methods=["GET"]),
                Route(f"{base}/Calls.json", self.calls, methods=["GET", "POST"]),
                Route(f"{base}/Calls/{{sid}}.json", self.call, methods=["GET", "POST"]),
                Route(f"{base}/Queues.json", self.queues, methods=["GET"]),
                Route(
                    f"{base}/Queues/{{queue}}/Members/{{sid}}.json",
                    self.queue_member,
                    methods=["GET", "POST"],
                ),
                Route("/_virtual/faults", self.faults, methods=["POST"]),
                Route("/_virtual/messages", self.all_messages, methods=["GET"]),
                Route("/_virtual/phones", self.phones, methods=["GET"]),
                Route("/_virtual/phone/inbox", self.inbox, methods=["POST"]),
                Route("/_virtual/phone/calls", self.phone_calls, methods=["POST"]),
                Route("/_virtual/phone/reply", self.reply, methods=["POST"]),
                Route("/_virtual/phone/answer", self.answer, methods=["POST"]),
            ]
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("query_string"):
            # The provider's list filter carries a patient's number in the query string,
            # and a server's access log prints the scope's path and query: the app gets
            # its own copy of the scope, the server's keeps no query to print.
            inner = dict(scope)
            scope["query_string"] = b""
            await self.app(inner, receive, send)
            return
        await self.app(scope, receive, send)

    # ------------------------------------------------------------ plumbing

    def _authorise(self, request: Request) -> None:
        header = request.headers.get("authorization", "")
        ok = False
        if header.lower().startswith("basic "):
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                user, password = "", ""
            ok = secrets.compare_digest(
                f"{user}:{password}", f"{self.state.account_sid}:{self.state.auth_token}"
            )
        if not ok:
            raise CarrierError(401, 20003, "Authenticate")
        if request.path_params["account"] != self.state.account_sid:
            raise CarrierError(404, 20404, "The requested resource was not found")

    @staticmethod
    async def _form(request: Request) -> dict[str, str]:
        body = await request.body()
        if len(body) > MAX_REQUEST_BYTES:
            raise CarrierError(413, 20001, "Request body too large")
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))

    async def _guard(self, request: Request, handler: Any) -> Response:
        try:
            self._authorise(request)
            result: Response = await handler()
            return result
        except CarrierError as exc:
            headers = {"Retry-After": str(exc.retry_after)} if exc.status == 429 else None
            return _error_response(exc, headers)

    async def _apply_fault(self, resource: str, to: str) -> Fault | None:
        fault = self.state.take_fault(resource, to)
        if fault is None:
            return None
        if fault.kind == "throttle":
            raise CarrierError(429, 20429, "Too Many Requests", retry_after=fault.retry_after)
        if fault.kind == "outage":
            raise CarrierError(fault.status, 20500, "Internal Server Error")
        if fault.kind == "refuse":
            code = fault.code or 21211
            raise CarrierError(400, code, _REFUSALS.get(code, "The request was refused."))
        if fault.kind == "slow":
            await asyncio.sleep(fault.seconds)
        return fault

    def _record_request(self, resource: str, to: str, outcome: str) -> None:
        with self.state.lock:
            self.state.requests.append({"resource": resource, "to": to, "outcome": outcome})

    # ------------------------------------------------------------ Messages

    async def messages(self, request: Request) -> Response:
        if request.method == "GET":
            return await self._guard(request, lambda: self._list(request, "Messages"))
        return await self._guard(request, lambda: self._create_message(request))

    async def _create_message(self, request: Request) -> Response:
        form = await self._form(request)
        raw_to = form.get("To", "")
        try:
            to = _e164(raw_to, "To")
            sender = _e164(form["From"], "From") if form.get("From") else None
            service = form.get("MessagingServiceSid") or None
            if sender is None and service is None:
                raise CarrierError(400, 21603, "A 'From' phone number is required.")
            body = form.get("Body", "")
            if not body:
                raise CarrierError(400, 21602, "Message body is required.")
            if len(body) > MAX_BODY_CHARS:
                raise CarrierError(400, 21617, "The concatenated message body exceeds the limit.")
            fault = await self._apply_fault("Messages", to)
        except CarrierError as exc:
            self._record_request("Messages", raw_to, f"error {exc.code}")
            raise
        now = _now()
        sid = "SM" + secrets.token_hex(16)
        uri = f"/{API_VERSION}/Accounts/{self.state.account_sid}/Messages/{sid}"
        row: dict[str, Any] = {
            "account_sid": self.state.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender,
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": str(max(1, -(-len(body) // 153) if len(body) > 160 else 1)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "accepted" if sender is None else "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": to,
            "uri": f"{uri}.json",
            "_status_callback": form.get("StatusCallback") or None,
        }
        if sender is None:
            row["from"] = "+15005550006"  # the service's pool number, as Twilio assigns one
        with self.state.lock:
            self.state.messages.append(row)
            self.state.requests.append({"resource": "Messages", "to": to, "outcome": sid})
            shown = _public(row)
        if self.state.deliver:
            asyncio.get_running_loop().create_task(self._progress(row))
        if fault is not None and fault.kind == "accept-then-hang":
            await self._hang(fault.seconds)
        return JSONResponse(shown, status_code=201)

    async def _hang(self, seconds: float) -> None:
        with self.state.lock:
            self.state.hanging += 1
        try:
            await asyncio.sleep(seconds)
        finally:
            with self.state.lock:
                self.state.hanging -= 1

    async def _progress(self, row: dict[str, Any]) -> None:
        """queued → sent → delivered, each reported to the status callback, signed."""
        for status in ("sent", "delivered"):
            await asyncio.sleep(0.01)
            with self.state.lock:
                row["status"] = status
                row["date_updated"] = _now()
                if status == "sent":
                    row["date_sent"] = row["date_updated"]
                url = row["_status_callback"]
                params = {
                    "AccountSid": self.state.account_sid,
                    "ApiVersion": API_VERSION,
                    "MessageSid": row["sid"],
                    "SmsSid": row["sid"],
                    "MessageStatus": status,
                    "SmsStatus": status,
                    "To": row["to"],
                    "From": row["from"],
                }
            if url:
                await self._signed_post(url, params)

    async def _signed_post(self, url: str, params: dict[str, str]) -> httpx.Response | None:
        headers = {"X-Twilio-Signature": self.validator.compute_signature(url, params)}
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                return await client.post(url, data=params, headers=headers)
        except httpx.HTTPError as exc:
            log.warning("virtual carrier: callback to careline failed: %s", type(exc).__name__)
            return None

    async def message(self, request: Request) -> Response:
        return await self._guard(request, lambda: self._fetch(request, "Messages"))

    # ------------------------------------------------------------ Calls

    async def calls(self, request: Request) -> Response:
        if request.method == "GET":
            return await self._guard(request, lambda: self._list(request, "Calls"))
        return await self._guard(request, lambda: self._create_call(request))

    async def _create_call(self, request: Request) -> Response:
        form = await self._form(request)
        raw_to = form.get("To", "")
        try:
            to = _e164(raw_to, "To")
            sender = _e164(form.get("From", ""), "From")
            if not (form.get("Url") or form.get("Twiml")):
                raise CarrierError(400, 21205, "Url parameter is required.")
            fault = await self._apply_fault("Calls", to)
        except CarrierError as exc:
            self._record_request("Calls", raw_to, f"error {exc.code}")
            raise
        now = _now()
        sid = "CA" + secrets.token_hex(16)
        row: dict[str, Any] = {
            "account_sid": self.state.account_sid,
            "annotation": None,
            "answered_by": None,
            "api_version": API_VERSION,
            "caller_name": None,
            "date_created": now,
            "date_updated": now,
            "direction": "outbound-api",
            "duration": None,
            "end_time": None,
            "forwarded_from": None,
            "from": sender,
            "from_formatted": sender,
            "group_sid": None,
            "parent_call_sid": None,
            "phone_number_sid": None,
            "price": None,
            "price_unit": "USD",
            "queue_time": "0",
            "sid": sid,
            "start_time": None,
            "status": "queued",
            "subresource_uris": {},
            "to": to,
            "to_formatted": to,
            "trunk_sid": None,
            "uri": f"/{API_VERSION}/Accounts/{self.state.account_sid}/Calls/{sid}.json",
            "_url": form.get("Url") or None,
            "_status_callback": form.get("StatusCallback") or None,
        }
        with self.state.lock:
            self.state.calls.append(row)
            self.state.requests.append({"resource": "Calls", "to": to, "outcome": sid})
            shown = _public(row)
        if fault is not None and fault.kind == "accept-then-hang":
            await self._hang(fault.seconds)
        return JSONResponse(shown, status_code=201)

    async def call(self, request: Request) -> Response:
        if request.method == "GET":
            return await self._guard(request, lambda: self._fetch(request, "Calls"))
        return await self._guard(request, lambda: self._update_call(request))

    async def _update_call(self, request: Request) -> Response:
        """Redirect a live call (Url) or end it (Status=completed|canceled)."""
        form = await self._form(request)
        with self.state.lock:
            row = next(
                (c for c in self.state.calls if c["sid"] == request.path_params["sid"]), None
            )
            if row is None:
                raise CarrierError(404, 20404, "The requested resource was not found")
            if form.get("Url"):
                row["_url"] = form["Url"]
            if form.get("Status") in ("completed", "canceled"):
                row["status"] = form["Status"]
                row["end_time"] = _now()
            row["date_updated"] = _now()
            return JSONResponse(_public(row))

    # ------------------------------------------------------------ queues

    def _queue_row(self, sid: str, name: str, size: int) -> dict[str, Any]:
        uri = f"/{API_VERSION}/Accounts/{self.state.account_sid}/Queues/{sid}"
        return {
            "account_sid": self.state.account_sid,
            "average_wait_time": 0,
            "current_size": size,
            "date_created": _rfc2822(_now()),
            "date_updated": _rfc2822(_now()),
            "friendly_name": name,
            "max_size": 100,
            "sid": sid,
            "uri": f"{uri}.json",
            "subresource_uris": {"members": f"{uri}/Members.json"},
        }

    async def queues(self, request: Request) -> Response:
        """The queues callers were put in (by <Enqueue> name), one page."""

        async def page() -> Response:
            rows = [self._queue_row(*q) for q in self.state.queues.queues()]
            base = f"/{API_VERSION}/Accounts/{self.state.account_sid}/Queues.json"
            return JSONResponse(
                {
                    "queues": rows,
                    "end": max(len(rows) - 1, 0),
                    "first_page_uri": f"{base}?PageSize=1000&Page=0",
                    "next_page_uri": None,
                    "page": 0,
                    "page_size": 1000,
                    "previous_page_uri": None,
                    "start": 0,
                    "uri": f"{base}?PageSize=1000&Page=0",
                }
            )

        return await self._guard(request, page)

    async def queue_member(self, request: Request) -> Response:
        """Fetch a waiting caller, or dequeue them to a Url (POST Url, Method)."""

        async def answer() -> Response:
            queue_sid, call_sid = request.path_params["queue"], request.path_params["sid"]
            member = self.state.queues.member(queue_sid, call_sid)
            if member is None:
                raise CarrierError(404, 20404, "The requested resource was not found")
            if request.method == "POST":
                form = await self._form(request)
                url = form.get("Url", "")
                if not url.startswith(("http://", "https://")):
                    raise CarrierError(400, 21205, "Url is not a valid URL")
                method = (form.get("Method") or "POST").upper()
                if not self.state.queues.redirect(queue_sid, call_sid, url, method):
                    raise CarrierError(404, 20404, "The requested resource was not found")
            uri = f"/{API_VERSION}/Accounts/{self.state.account_sid}/Queues/{queue_sid}"
            return JSONResponse(
                {
                    "call_sid": call_sid,
                    "date_enqueued": _rfc2822(_now()),
                    "position": 1,
                    "queue_sid": queue_sid,
                    "uri": f"{uri}/Members/{call_sid}.json",
                    "wait_time": 0,
                }
            )

        return await self._guard(request, answer)

    # ------------------------------------------------------------ shared reads

    async def _fetch(self, request: Request, resource: str) -> Response:
        sid = request.path_params["sid"]
        with self.state.lock:
            rows = self.state.messages if resource == "Messages" else self.state.calls
            row = next((r for r in rows if r["sid"] == sid), None)
            if row is None:
                raise CarrierError(404, 20404, "The requested resource was not found")
            return JSONResponse(_public(row))

    async def _list(self, request: Request, resource: str) -> Response:
        """A page, newest first, filtered as the provider filters (To, From, DateSent>)."""
        q = request.query_params
        size = max(1, min(int(q.get("PageSize", "50") or 50), 1000))
        page = max(0, int(q.get("Page", "0") or 0))
        with self.state.lock:
            rows = list(self.state.messages if resource == "Messages" else self.state.calls)
        if q.get("To"):
            rows = [r for r in rows if r["to"] == q["To"]]
        if q.get("From"):
            rows = [r for r in rows if r["from"] == q["From"]]
        if q.get("Status"):
            rows = [r for r in rows if r["status"] == q["Status"]]
        after = q.get("DateSent>") or q.get("StartTime>")
        if after:
            since = _parse_filter_date(after)
            key = "date_sent" if resource == "Messages" else "start_time"
            rows = [r for r in rows if (r.get(key) or r["date_created"]) >= since]
        rows.sort(key=lambda r: r["date_created"], reverse=True)
        chunk = rows[page * size : (page + 1) * size]
        base = f"/{API_VERSION}/Accounts/{self.state.account_sid}/{resource}.json"
        more = (page + 1) * size < len(rows)
        return JSONResponse(
            {
                resource.lower(): [_public(r) for r in chunk],
                "end": page * size + max(len(chunk) - 1, 0),
                "first_page_uri": f"{base}?PageSize={size}&Page=0",
                "next_page_uri": f"{base}?PageSize={size}&Page={page + 1}" if more else None,
                "page": page,
                "page_size": size,
                "previous_page_uri": None,
                "start": page * size,
                "uri": f"{base}?PageSize={size}&Page={page}",
            }
        )

    # ------------------------------------------------------------ test and phone side

    async def faults(self, request: Request) -> Response:
        raw = json.loads(await request.body() or b"[]")
        for item in raw if isinstance(raw, list) else [raw]:
            self.state.add_fault(Fault(**item))
        return JSONResponse({"faults": len(self.state.faults)})

    async def all_messages(self, request: Request) -> Response:
        with self.state.lock:
            return JSONResponse({"messages": [_public(m) for m in self.state.messages]})

    async def inbox(self, request: Request) -> Response:
        """What one virtual phone received and sent (the number comes in the body, not the URL)."""
        number = str(json.loads(await request.body() or b"{}").get("number", ""))
        return JSONResponse({"messages": [_public(m) for m in self.state.messages_to(number)]})

    async def phones(self, request: Request) -> Response:
        """Every patient phone careline has texted or called, in order of first contact."""
        seen: dict[str, dict[str, Any]] = {}
        with self.state.lock:
            for m in self.state.messages:
                if m["direction"] != "inbound":
                    entry = seen.setdefault(m["to"], {"number": m["to"], "texts": 0, "calls": 0})
                    entry["texts"] += 1
                    entry["last"] = m["body"]
            for c in self.state.calls:
                entry = seen.setdefault(c["to"], {"number": c["to"], "texts": 0, "calls": 0})
                entry["calls"] += 1
                entry["ringing"] = c["status"] == "queued"
        return JSONResponse({"phones": list(seen.values())})

    async def phone_calls(self, request: Request) -> Response:
        number = str(json.loads(await request.body() or b"{}").get("number", ""))
        with self.state.lock:
            calls = [_public(c) | {"heard": c.get("_heard")} for c in self.state.calls]
        return JSONResponse({"calls": [c for c in calls if c["to"] == number]})

    async def reply(self, request: Request) -> Response:
        """A virtual phone texts careline: careline's signed inbound webhook, and its TwiML
        answer delivered back to the phone as a message."""
        data = json.loads(await request.body() or b"{}")
        number, to, body = (
            str(data.get("number", "")),
            str(data.get("to", "")),
            str(data.get("body", "")),
        )
        url = self.state.inbound_sms_url
        if not url:
            return JSONResponse({"error": "no inbound SMS URL is configured"}, status_code=409)
        sid = "SM" + secrets.token_hex(16)
        now = _now()
        row = {
            "account_sid": self.state.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": now,
            "date_sent": now,
            "date_updated": now,
            "direction": "inbound",
            "error_code": None,
            "error_message": None,
            "from": number,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "received",
            "subresource_uris": {},
            "to": to,
            "uri": f"/{API_VERSION}/Accounts/{self.state.account_sid}/Messages/{sid}.json",
            "_status_callback": None,
        }
        with self.state.lock:
            self.state.messages.append(row)
        params = {
            "AccountSid": self.state.account_sid,
            "ApiVersion": API_VERSION,
            "MessageSid": sid,
            "SmsSid": sid,
            "SmsMessageSid": sid,
            "From": number,
            "To": to,
            "Body": body,
            "NumMedia": "0",
            "NumSegments": "1",
        }
        answer = await self._signed_post(url, params)
        if answer is None:
            return JSONResponse({"error": "careline did not answer"}, status_code=502)
        replies = _twiml_messages(answer.text) if answer.status_code == 200 else []
        for text in replies:
            out = {
                **row,
                "sid": "SM" + secrets.token_hex(16),
                "body": text,
                "from": to,
                "to": number,
                "direction": "outbound-reply",
                "status": "delivered",
            }
            with self.state.lock:
                self.state.messages.append(out)
        return JSONResponse({"status": answer.status_code, "replies": replies})

    async def answer(self, request: Request) -> Response:
        """The virtual phone answers a call careline placed: the carrier requests the
        call's Url (signed) and follows its TwiML, with the patient pressing `digits`
        or saying `speech` at each prompt, in order."""
        data = json.loads(await request.body() or b"{}")
        with self.state.lock:
            row = next((c for c in self.state.calls if c["sid"] == data.get("sid")), None)
            if row is None or row["status"] not in ("queued", "ringing"):
                return JSONResponse({"error": "no such ringing call"}, status_code=404)
            row["status"] = "in-progress"
            row["start_time"] = _now()
            url, frm, to = row["_url"], row["from"], row["to"]
        if url and not url.startswith("http") and self.state.careline_url:
            url = self.state.careline_url.rstrip("/") + url
        answers = [CallerInput(digits=d) for d in data.get("digits", [])] + [
            CallerInput(speech=t) for t in data.get("speech", [])
        ]
        record = await run_in_threadpool(self._run_call, url, row["sid"], frm, to, answers)
        with self.state.lock:
            row["status"] = "completed"
            row["end_time"] = _now()
            row["duration"] = str(int(record.duration))
            row["_heard"] = record.heard()
        return JSONResponse({"status": "completed", "heard": record.heard()})

    def _run_call(
        self, url: str, sid: str, frm: str, to: str, answers: list[CallerInput]
    ) -> CallRecord:
        with httpx.Client(timeout=30) as http:
            voice = VoiceCarrier(
                http, auth_token=self.state.auth_token, account_sid=self.state.account_sid
            )
            # On an outbound call, careline's number is From and the patient is To.
            return voice.call(
                number=NumberConfig(voice_url=url),
                from_=frm,
                to=to,
                caller=ScriptedCaller(answers),
                sid=sid,
                direction="outbound-api",
            )


def _twiml_messages(text: str) -> list[str]:
    from careline.telephony.twiml import Message, TwimlError, parse

    try:
        return [v.body for v in parse(text).verbs if isinstance(v, Message)]
    except TwimlError:
        return []


def _parse_filter_date(value: str) -> datetime:
    value = value.strip()
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise CarrierError(400, 20001, "Invalid date filter")


_REFUSALS = {
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21612: "The 'To' phone number is not currently reachable via SMS.",
    21614: "'To' number is not a valid mobile number",
    21408: "Permission to send an SMS has not been enabled for the 'To' number's region",
}
