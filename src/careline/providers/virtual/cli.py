"""`careline carrier` (run the virtual carrier) and `careline phone` (be a demo patient's
phone: read what careline sent, reply, answer a call).

Phones are shown by number in your terminal: the virtual phone is a screen, like
the patient's own handset; numbers never go into URLs or logs (they travel in
request bodies).
"""

from __future__ import annotations

from typing import Annotated, Any

import httpx
import typer

from careline.bootstrap import DEFAULT_VIRTUAL_API

carrier_app = typer.Typer(help="The virtual carrier (demo and tests).", no_args_is_help=True)
phone_app = typer.Typer(
    help="A demo patient's virtual phone: what careline sent it; reply; answer calls.\n\n"
    "Examples:\n\n"
    "  careline phone list\n\n"
    "  careline phone show 1\n\n"
    "  careline phone reply 1 C\n\n"
    "  careline phone answer 2 --press 1",
    no_args_is_help=True,
)

CarrierUrl = Annotated[
    str,
    typer.Option(
        "--carrier", envvar="CARELINE_TWILIO_API_BASE_URL", help="The virtual carrier's URL."
    ),
]
Phone = Annotated[str, typer.Argument(help="The phone: its number in `phone list` or +1…")]


@carrier_app.command("serve")
def carrier_serve(
    careline: Annotated[
        str, typer.Option(help="careline's URL, where replies from phones are delivered.")
    ] = "http://127.0.0.1:8000",
    host: Annotated[str, typer.Option(help="Address to listen on (keep it loopback).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8790,
) -> None:
    """Serve the virtual carrier's REST API (Twilio's Messages and Calls) on loopback.

    Point careline at it with CARELINE_PROVIDER=virtual and
    CARELINE_TWILIO_API_BASE_URL=http://127.0.0.1:8790 (`careline demo` does both).
    """
    from careline.providers.virtual.server import carrier_for, serve

    typer.echo(f"Virtual carrier on http://{host}:{port}; replies go to {careline}.")
    serve(carrier_for(careline), host=host, port=port)


def _request(carrier: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    try:
        r = httpx.request(method, f"{carrier.rstrip('/')}{path}", json=body, timeout=60)
    except httpx.HTTPError:
        typer.secho(
            f"No virtual carrier answers at {carrier}. Is `careline demo` running?",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(2) from None
    if r.status_code != 200:
        problem = r.json().get("error", r.text) if r.content else r.status_code
        typer.secho(f"The carrier refused: {problem}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    return r.json()


def _number(carrier: str, phone: str) -> str:
    if phone.startswith("+"):
        return phone
    phones = _request(carrier, "GET", "/_virtual/phones")["phones"]
    if not phone.isdigit() or not 1 <= int(phone) <= len(phones):
        typer.secho(
            f"No phone {phone}: `careline phone list` shows 1 to {len(phones)}.",
            fg=typer.colors.RED,
            err=True,
        )
        raise typer.Exit(1)
    return str(phones[int(phone) - 1]["number"])


@phone_app.command("list")
def phone_list(carrier: CarrierUrl = DEFAULT_VIRTUAL_API) -> None:
    """Every phone careline has texted or called, numbered for the other commands."""
    phones = _request(carrier, "GET", "/_virtual/phones")["phones"]
    if not phones:
        typer.echo("No phone has received anything yet (reminders go out as they fall due).")
        return
    for n, p in enumerate(phones, 1):
        ringing = "  RINGING" if p.get("ringing") else ""
        last = (p.get("last") or "")[:60]
        typer.echo(f"{n:>3}  {p['number']}  {p['texts']} text(s), {p['calls']} call(s){ringing}")
        if last:
            typer.echo(f"       last: {last}")


@phone_app.command("show")
def phone_show(phone: Phone, carrier: CarrierUrl = DEFAULT_VIRTUAL_API) -> None:
    """The phone's conversation with careline, oldest first."""
    number = _number(carrier, phone)
    messages = _request(carrier, "POST", "/_virtual/phone/inbox", {"number": number})["messages"]
    if not messages:
        typer.echo("Nothing yet.")
    for m in messages:
        who = "you" if m["from"] == number else "careline"
        typer.echo(f"[{m['date_created']}] {who}: {m['body']}")


@phone_app.command("reply")
def phone_reply(
    phone: Phone,
    text: Annotated[str, typer.Argument(help='What the patient texts ("C", "YES", "STOP"…).')],
    carrier: CarrierUrl = DEFAULT_VIRTUAL_API,
) -> None:
    """Text careline back (to the number that last wrote), and show its answer."""
    number = _number(carrier, phone)
    messages = _request(carrier, "POST", "/_virtual/phone/inbox", {"number": number})["messages"]
    received = [m for m in messages if m["to"] == number]
    if not received:
        typer.secho("This phone has received nothing to reply to.", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    sent = {"number": number, "to": received[-1]["from"], "body": text}
    answer = _request(carrier, "POST", "/_virtual/phone/reply", sent)
    for reply in answer["replies"] or ["(careline sent no answer)"]:
        typer.echo(f"careline: {reply}")


@phone_app.command("answer")
def phone_answer(
    phone: Phone,
    press: Annotated[
        list[str] | None, typer.Option(help="Keys to press at each prompt, in order.")
    ] = None,
    say: Annotated[list[str] | None, typer.Option(help="Words to say at each prompt.")] = None,
    carrier: CarrierUrl = DEFAULT_VIRTUAL_API,
) -> None:
    """Answer the phone's ringing call (a voice reminder, a call back) and show what was said."""
    number = _number(carrier, phone)
    calls = _request(carrier, "POST", "/_virtual/phone/calls", {"number": number})["calls"]
    ringing = [c for c in calls if c["status"] == "queued"]
    if not ringing:
        typer.secho("This phone is not ringing.", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    body = {"sid": ringing[-1]["sid"], "digits": press or [], "speech": say or []}
    result = _request(carrier, "POST", "/_virtual/phone/answer", body)
    for line in result["heard"]:
        typer.echo(f"careline: {line}")
