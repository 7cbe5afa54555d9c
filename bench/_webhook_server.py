"""The server half of `bench/webhooks.py`: one uvicorn server in a process of its own.

Started by webhooks.py, never by `bench/run.py` (the leading underscore keeps it out
of the benchmark list). The load client must not share this process: a client in
the server's process takes the server's CPU and flattered the ratio about 2x.

    python bench/_webhook_server.py bare|fastapi
    python bench/_webhook_server.py careline --database-url URL --at ISO --workdir DIR

`careline` builds the real app with `build_runtime(settings, clock=ManualClock(at))`
(the clock never reads the system time, so the flow takes the same branch at any
hour), seeds a Chicago clinic with the shipped main-line flow, known callers and
available agents, and warms triage up. Every kind prints `port N` once its socket
listens, then serves until terminated.
"""

import argparse
import socket
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import uvicorn

#: The clinic's main number, its known callers and the agents' desk phones.
MAIN = "+13125550199"
KNOWN_CALLERS = [f"+1773555{i:04d}" for i in range(100, 140)]
AGENT_SKILLS: list[tuple[str, list[str]]] = [
    ("+13125550180", ["scheduling", "general"]),
    ("+13125550181", ["scheduling", "refills", "billing"]),
    ("+13125550182", ["nurse_triage", "clinical"]),
    ("+13125550183", ["nurse_triage", "clinical", "general"]),
    ("+13125550184", ["general", "refills", "billing", "scheduling"]),
]
TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>'


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The floor: read the body, answer fixed TwiML. No framework, no database."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    headers = [(b"content-type", b"text/xml"), (b"content-length", str(len(TWIML)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": TWIML})


def fastapi_app() -> Any:
    """One FastAPI route that parses the form like a webhook and answers fixed TwiML:
    what the framework costs before careline does anything. (Imported here so the bare
    server carries no FastAPI; no `from __future__ import annotations` in this module,
    so FastAPI can read the local `Request` annotation.)"""
    from fastapi import FastAPI, Request, Response

    app = FastAPI()

    @app.post("/telephony/voice/incoming")
    async def incoming(request: Request) -> Response:
        await request.form()
        return Response(TWIML, media_type="text/xml")

    return app


def chicago_clinic(rt: Any) -> str:
    """Riverside (as tests/clinics.py): open 08:00-17:00 on weekdays, Illinois holidays."""
    from careline.directory import service as directory
    from careline.directory.model import Address, LocationCreate, OpeningHours
    from careline.security.model import SYSTEM

    return directory.create_location(
        rt,
        actor=SYSTEM,
        data=LocationCreate(
            name="Riverside",
            code="RFM",
            timezone="America/Chicago",
            address=Address(
                line1="1 Example Ave",
                city="Chicago",
                region="IL",
                postal_code="60601",
                country="US",
            ),
            holiday_subdivision="IL",
            hours=[OpeningHours(weekday=d, opens="08:00", closes="17:00") for d in range(5)],
        ),
    ).id


def seed(rt: Any) -> None:
    """The main-line flow on MAIN, known patients on KNOWN_CALLERS, available agents."""
    from careline.directory import service as directory
    from careline.directory.model import Endpoint, EndpointKind, PresenceState, StaffCreate
    from careline.flows import service as flows
    from careline.patients import service as patients
    from careline.patients.model import PatientCreate, PhoneIn
    from careline.security.model import SYSTEM

    location_id = chicago_clinic(rt)
    flows.install_example(rt, actor=SYSTEM, number=MAIN, location_id=location_id)
    for i, number in enumerate(KNOWN_CALLERS):
        patients.create_patient(
            rt,
            actor=SYSTEM,
            data=PatientCreate(
                given_name="Rosa",
                family_name=f"Example{i}",
                date_of_birth=date(1950 + i, 5, 5),
                phones=[PhoneIn(number=number)],
                home_location_id=location_id,
            ),
        )
    for number, skills in AGENT_SKILLS:
        staff = directory.create_staff(
            rt,
            actor=SYSTEM,
            data=StaffCreate(
                display_name=f"Agent {number[-4:]}",
                location_ids=[location_id],
                skills=skills,
                languages=["en", "es"],
                endpoints=[Endpoint(kind=EndpointKind.phone, address=number)],
            ),
        )
        directory.set_presence(rt, actor=SYSTEM, staff_id=staff.id, state=PresenceState.available)


def careline_app(database_url: str, at: datetime, workdir: Path) -> Any:
    """The real app on a fixed clock, its database created and seeded."""
    from careline.api.app import create_app
    from careline.bootstrap import build_runtime
    from careline.core.clock import ManualClock
    from careline.core.db import Base
    from careline.core.settings import Environment, Settings
    from careline.db_schema import load_all_tables
    from careline.triage.service import triage

    load_all_tables()
    settings = Settings(
        environment=Environment.test,
        database_url=database_url,
        keyring_file=workdir / "keyring.json",
        audit_anchor_file=workdir / "audit-anchor.jsonl",
        # The clock never moves, so a wrap-up would never end and each agent would
        # take one call only: 0 s gives agents back at once and keeps desk offers running.
        wrap_up_seconds=0,
    )
    rt = build_runtime(settings, clock=ManualClock(at))
    Base.metadata.create_all(rt.engine)
    seed(rt)
    triage("warming the model up, as a serving process does once")
    return create_app(rt)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["bare", "fastapi", "careline"])
    parser.add_argument("--database-url")
    parser.add_argument("--at", type=datetime.fromisoformat)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    if args.kind == "careline":
        app = careline_app(args.database_url, args.at, args.workdir)
    elif args.kind == "fastapi":
        app = fastapi_app()
    else:
        app = bare_app
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(2048)
    print(f"port {sock.getsockname()[1]}", flush=True)
    # As `careline serve` runs it (proxy headers off), minus the access log, which
    # would cost every kind the same and hide nothing careline does.
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", proxy_headers=False
    )
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1:])
