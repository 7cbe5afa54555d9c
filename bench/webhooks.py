"""Voice webhook throughput and latency, careline against two baselines.

Each server runs in a process of its own (`bench/_webhook_server.py`, uvicorn on
loopback); this process is only the load client, so the server's CPU is its own.
The servers, one after the other:

* bare ASGI: reads the body, answers fixed TwiML (the floor);
* minimal FastAPI: one route that parses the form (the framework's own cost);
* careline in hours: the clock fixed at Tuesday 10:00 in Chicago, so calls take
  the language menu, the main menu, triage, the queues and the agent desk;
* careline after hours: the clock fixed at Tuesday 20:00, so calls take the
  after-hours menu, the on-call transfer and voicemail (transcribed and triaged).

Every request is signed like the provider (X-Twilio-Signature over the full URL,
including the `?v=` the previous answer's <Gather action> carries) with a fresh
I-Twilio-Idempotency-Token. Throughput runs are unpaced (each simulated caller
sends its next step as soon as the answer arrives); paced runs wait 1-2 s
between steps like real callers, and their p99 is the latency that matters.
Prints p50/p99, throughput, the server's CPU and peak RSS (VmHWM) per level and
the ratios careline / bare ASGI and careline / FastAPI. Nothing here passes or
fails on timing.

    .venv/bin/python bench/webhooks.py [--postgresql URL] [--levels 8,50,200]

`--postgresql` (or CARELINE_BENCH_DATABASE_URL) runs careline on a fresh
PostgreSQL database made from that URL's server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin

from _webhook_server import KNOWN_CALLERS, MAIN
from twilio.request_validator import RequestValidator

from careline.core.settings import DEMO_AUTH_TOKEN
from careline.telephony.twiml import (
    Dial,
    Document,
    Enqueue,
    Gather,
    Hangup,
    Leave,
    Record,
    Redirect,
    Reject,
    parse,
)
from careline.telephony.virtual_carrier import CallerInput

HERE = Path(__file__).resolve().parent
IN_HOURS = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)  # Tuesday 10:00 in Chicago
AFTER_HOURS = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)  # Tuesday 20:00 in Chicago
VOICE = "/telephony/voice"
#: Seconds of warm-up and of measurement per level: baselines, careline unpaced and paced.
BASELINE = (0.5, 3.0)
UNPACED = (1.0, 4.0)
PACED = (2.0, 10.0)
#: A caller listens and answers for this long between steps in paced runs.
THINK_SECONDS = (1.0, 2.0)
#: Queue-wait polls before a caller nobody took gives up (the provider polls each time
#: the hold music ends).
MAX_POLLS = 3
MAX_STEPS = 40

# What callers do at each prompt, in order (a known caller skips the language menu).
ENGLISH = CallerInput(digits="1")
IN_HOURS_SCRIPTS = [
    [CallerInput(digits="1")],  # appointments
    [
        CallerInput(digits="2"),
        CallerInput(speech="I am calling about my lab results from last week"),
    ],
    [CallerInput(digits="0")],  # front desk
    [CallerInput(digits="3")],  # refills
]
AFTER_HOURS_SCRIPTS = [
    [CallerInput(digits="1")],  # the on-call clinician
    [CallerInput(digits="2")],  # a message
]
VOICEMAIL = "I need a refill of my blood pressure pills, please call me back"


# ---------------------------------------------------------------- HTTP


class Connection:
    """A keep-alive HTTP/1.1 connection with almost no client-side cost, so the
    baselines measure the server rather than this process."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        """Send one request; reopen once if the server closed an idle connection."""
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            try:
                self.writer.write(request)
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _response(self) -> tuple[int, bytes]:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, chunked, close = 0, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value
            elif name == b"connection":
                close = value == b"close"
        if chunked:
            parts = []
            while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                parts.append(await self.reader.readexactly(size + 2))
            await self.reader.readuntil(b"\r\n")
            body = b"".join(p[:-2] for p in parts)
        else:
            body = await self.reader.readexactly(length)
        if close:
            self.close()
        return status, body


@dataclass
class Sample:
    started: float
    ended: float
    status: int
    path: str


@dataclass
class Carrier:
    """Signs and sends webhooks like the provider, and keeps every request's timing."""

    port: int
    samples: list[Sample] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.validator = RequestValidator(DEMO_AUTH_TOKEN)
        self.base = f"http://127.0.0.1:{self.port}"

    async def post(self, conn: Connection, url: str, params: dict[str, str]) -> tuple[int, bytes]:
        """POST a signed form to `url` (absolute, or relative to the server)."""
        url = urljoin(self.base, url)
        path = url[len(self.base) :]
        body = urlencode(params).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"X-Twilio-Signature: {self.validator.compute_signature(url, params)}\r\n"
            f"I-Twilio-Idempotency-Token: {secrets.token_hex(16)}\r\n\r\n"
        )
        started = time.perf_counter()
        status, answer = await conn.exchange(head.encode() + body)
        self.samples.append(Sample(started, time.perf_counter(), status, path.split("?")[0]))
        return status, answer


# ---------------------------------------------------------------- callers


class HungUp(Exception):
    """The run is over: the caller hangs up at the next step."""


@dataclass
class Call:
    """One inbound call, driven webhook by webhook from the TwiML careline answers."""

    carrier: Carrier
    conn: Connection
    from_: str
    inputs: list[CallerInput]
    paced: bool
    stop: asyncio.Event
    sid: str = field(default_factory=lambda: "CA" + uuid.uuid4().hex)
    account: str = "AC" + "0" * 32
    steps: int = 0
    seconds: float = 0.0

    def params(self, status: str = "in-progress", **extra: str) -> dict[str, str]:
        return {
            "CallSid": self.sid,
            "AccountSid": self.account,
            "From": self.from_,
            "To": MAIN,
            "Caller": self.from_,
            "Called": MAIN,
            "CallStatus": status,
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }

    async def step(self, url: str, status: str = "in-progress", **extra: str) -> Document:
        if self.stop.is_set() or self.steps >= MAX_STEPS:
            raise HungUp
        if self.paced and self.steps:
            think = random.uniform(*THINK_SECONDS)
            self.seconds += think
            await asyncio.sleep(think)
        self.steps += 1
        code, body = await self.carrier.post(self.conn, url, self.params(status, **extra))
        if code == 204:  # a callback careline only takes note of
            return Document()
        if code != 200:
            raise HungUp  # counted as an error in the samples; the caller gives up
        return parse(body)

    async def run(self) -> None:
        with contextlib.suppress(HungUp):  # the run ended: the caller hangs up now
            doc: Document | None = await self.step(f"{VOICE}/incoming", status="ringing")
            while doc is not None:
                doc = await self.follow(doc)
        await self.carrier.post(
            self.conn,
            f"{VOICE}/status",
            self.params("completed", CallDuration=str(int(self.seconds))),
        )

    async def follow(self, doc: Document) -> Document | None:
        """Run a document's verbs; return the next document, None when the call ends."""
        for verb in doc.verbs:
            if isinstance(verb, Gather):
                answer = self.inputs.pop(0) if self.inputs else CallerInput()
                if answer.digits and "dtmf" in verb.input:
                    return await self.step(verb.action or f"{VOICE}/gather", Digits=answer.digits)
                if answer.speech and "speech" in verb.input:
                    return await self.step(
                        verb.action or f"{VOICE}/gather",
                        SpeechResult=answer.speech,
                        Confidence="0.90",
                    )
                if verb.action_on_empty_result:
                    return await self.step(verb.action or f"{VOICE}/gather", Digits="")
            elif isinstance(verb, Redirect):
                return await self.step(verb.url)
            elif isinstance(verb, Enqueue):
                return await self.enqueue(verb)
            elif isinstance(verb, Dial):
                return await self.dial(verb)
            elif isinstance(verb, Record):
                return await self.record(verb)
            elif isinstance(verb, Hangup | Reject | Leave):
                return None
        return None

    async def enqueue(self, verb: Enqueue) -> Document | None:
        """Poll the wait URL until careline takes the caller out (<Leave/>: an agent
        rings) or the caller gives up."""
        queue_sid = "QU" + uuid.uuid4().hex
        for poll in range(MAX_POLLS):
            if not verb.wait_url:
                break
            wait = await self.step(
                verb.wait_url,
                QueueSid=queue_sid,
                QueuePosition="1",
                QueueTime=str(poll * 20),
                AvgQueueTime="0",
                CurrentQueueSize="1",
            )
            if any(isinstance(v, Leave) for v in wait.verbs):
                if not verb.action:
                    return None
                return await self.step(
                    verb.action, QueueResult="leave", QueueSid=queue_sid, QueueTime=str(poll * 20)
                )
        if verb.action:
            await self.step(verb.action, QueueResult="hangup", QueueSid=queue_sid)
        return None

    async def dial(self, verb: Dial) -> Document | None:
        """The first target answers: its whisper URL (agent-answer), then the Dial's action."""
        target = verb.targets[0]
        if target.url:
            await self.step(target.url, DialCallStatus="in-progress")
        if not verb.action:
            return None
        return await self.step(
            verb.action,
            DialCallStatus="completed",
            DialCallSid="CA" + uuid.uuid4().hex,
            DialCallDuration="120",
        )

    async def record(self, verb: Record) -> Document | None:
        """A voicemail: the transcription callback, then the Record's action."""
        sid = "RE" + uuid.uuid4().hex
        recording = {
            "RecordingUrl": f"https://virtual-carrier.invalid/Recordings/{sid}",
            "RecordingSid": sid,
            "RecordingDuration": "9",
            "Digits": "hangup",
        }
        if verb.transcribe and verb.transcribe_callback:
            await self.step(
                verb.transcribe_callback,
                **recording,
                TranscriptionSid="TR" + uuid.uuid4().hex,
                TranscriptionText=VOICEMAIL,
                TranscriptionStatus="completed",
            )
        if not verb.action:
            return None
        return await self.step(verb.action, **recording)


def caller_number(n: int) -> str:
    """Every other call comes from a known patient; the rest from unknown numbers."""
    if n % 2 == 0:
        return KNOWN_CALLERS[(n // 2) % len(KNOWN_CALLERS)]
    return f"+1872555{n % 10000:04d}"


async def caller_loop(
    scripts: list[list[CallerInput]], paced: bool, carrier: Carrier, k: int, stop: asyncio.Event
) -> None:
    """One line's calls, back to back, until the run stops."""
    conn = Connection(carrier.port)
    n = k
    try:
        while not stop.is_set():
            from_ = caller_number(n)
            inputs = list(scripts[(n // 2) % len(scripts)])
            if from_ not in KNOWN_CALLERS:
                inputs.insert(0, ENGLISH)
            await Call(carrier, conn, from_, inputs, paced, stop).run()
            n += 1000
            if paced and not stop.is_set():
                await asyncio.sleep(random.uniform(*THINK_SECONDS))
    finally:
        conn.close()


async def baseline_loop(carrier: Carrier, k: int, stop: asyncio.Event) -> None:
    """The baselines' client: the same signed incoming-call webhook, over and over."""
    conn = Connection(carrier.port)
    params = {"CallSid": f"CA{k:032d}", "From": KNOWN_CALLERS[0], "To": MAIN, "ApiVersion": "x"}
    try:
        while not stop.is_set():
            await carrier.post(conn, f"{VOICE}/incoming", params)
    finally:
        conn.close()


# ---------------------------------------------------------------- servers


class Server:
    """A `_webhook_server.py` process: its port, and its CPU and memory from /proc."""

    def __init__(self, kind: str, *args: str, log: Path) -> None:
        self.log = log
        with log.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(HERE / "_webhook_server.py"), kind, *args],
                stdout=subprocess.PIPE,
                stderr=err,
                text=True,
            )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("port "):
            self.stop()
            raise RuntimeError(f"{kind} server did not start:\n{log.read_text()[-3000:]}")
        self.port = int(line.split()[1])

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def reset_peak(self) -> bool:
        """Start VmHWM again from the current RSS (Linux clear_refs 5), so each level
        shows its own peak; False where the kernel refuses (then peaks accumulate)."""
        try:
            Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")
            return True
        except OSError:
            return False

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        """Terminate; kill after 5 s (a saturated server's graceful shutdown waits for
        every queued request, and nothing is measured any more)."""
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def ready(port: int) -> None:
    """Wait for the first answer (startup is not measured)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            conn = Connection(port)
            await conn.exchange(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            conn.close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


# ---------------------------------------------------------------- measuring


def by_path(samples: list[Sample]) -> dict[str, list[float]]:
    """Latencies (ms) by webhook, to show which step costs what."""
    paths: dict[str, list[float]] = {}
    for s in samples:
        paths.setdefault(s.path.rsplit("/", 1)[-1], []).append((s.ended - s.started) * 1000)
    return paths


#: How a level starts one simulated line: (carrier, line number, stop) -> its coroutine.
Start = Callable[[Carrier, int, asyncio.Event], Coroutine[Any, Any, None]]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@dataclass
class Level:
    """One measured window at one concurrency."""

    name: str
    concurrency: int
    paced: bool
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    server_cpu: float
    client_cpu: float
    peak_rss_mb: float
    paths: dict[str, list[float]]
    #: No request of the window can have waited longer than the level has run.
    longest_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def line(self) -> str:
        kind = "paced  " if self.paced else "unpaced"
        errors = f"  {self.errors} errors" if self.errors else ""
        # Near the level's age the p99 is cut off by the window: the true one is larger.
        cut = ">" if self.p99_ms >= 0.9 * self.longest_ms else " "
        return (
            f"  {self.name:<21} {kind} {self.concurrency:>4} calls  "
            f"{self.per_second:8.1f} req/s  p50 {self.p50_ms:8.2f} ms  "
            f"p99{cut}{self.p99_ms:8.2f} ms  "
            f"server CPU {self.server_cpu:4.0%}  client CPU {self.client_cpu:4.0%}  "
            f"peak RSS {self.peak_rss_mb:6.1f} MB{errors}"
        )


async def measure(
    name: str,
    server: Server,
    concurrency: int,
    paced: bool,
    start: Start,
    timing: tuple[float, float],
    *,
    drain: bool = True,
) -> Level:
    """Run `concurrency` lines for warm-up + window; keep what ended inside the window.

    With `drain` every caller then finishes its step and hangs up (so no abandoned
    call holds an agent in the next level); the last level of a server skips that
    wait, as the server is stopped right after."""
    warm, window = timing
    carrier = Carrier(server.port)
    begun = time.perf_counter()
    stop = asyncio.Event()
    tasks = []
    for k in range(concurrency):
        tasks.append(asyncio.ensure_future(start(carrier, k, stop)))
        if paced:  # callers arrive over the warm-up, not all in the same instant
            await asyncio.sleep(warm / 2 / concurrency)
    await asyncio.sleep(warm / 2 if paced else warm)
    server.reset_peak()
    t0, cpu0, client0 = time.perf_counter(), server.cpu_seconds(), time.process_time()
    await asyncio.sleep(window)
    t1, cpu1, client1 = time.perf_counter(), server.cpu_seconds(), time.process_time()
    peak = server.peak_rss_mb()
    stop.set()
    if not drain:
        for task in tasks:
            task.cancel()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=not drain), timeout=120)
    inside = [s for s in carrier.samples if t0 <= s.ended <= t1]
    latencies = [(s.ended - s.started) * 1000 for s in inside]
    level = Level(
        name=name,
        concurrency=concurrency,
        paced=paced,
        requests=len(inside),
        seconds=t1 - t0,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        errors=sum(1 for s in inside if s.status >= 400),
        server_cpu=(cpu1 - cpu0) / (t1 - t0),
        client_cpu=(client1 - client0) / (t1 - t0),
        peak_rss_mb=peak,
        paths=by_path(inside),
        longest_ms=(t1 - begun) * 1000,
    )
    print(level.line(), flush=True)
    return level


async def run_baseline(name: str, kind: str, levels: list[int], tmp: Path) -> list[Level]:
    server = Server(kind, log=tmp / f"{kind}.log")
    try:
        await ready(server.port)
        return [await measure(name, server, n, False, baseline_loop, BASELINE) for n in levels]
    finally:
        server.stop()


async def run_careline(
    name: str,
    at: datetime,
    database_url: str,
    scripts: list[list[CallerInput]],
    levels: list[int],
    tmp: Path,
) -> list[Level]:
    workdir = tmp / name.replace(" ", "-")
    workdir.mkdir()
    server = Server(
        "careline",
        "--database-url",
        database_url,
        "--at",
        at.isoformat(),
        "--workdir",
        str(workdir),
        log=workdir / "server.log",
    )
    results = []
    try:
        await ready(server.port)
        for paced in (False, True):
            start = functools.partial(caller_loop, scripts, paced)
            timing = PACED if paced else UNPACED
            for n in levels:
                last = paced and n == levels[-1]
                level = await measure(name, server, n, paced, start, timing, drain=not last)
                results.append(level)
    finally:
        server.stop()
    quiet = min((r for r in results if r.paced), key=lambda r: r.concurrency)
    steps = sorted(quiet.paths.items(), key=lambda kv: -len(kv[1]))
    print(
        f"  {name} p50 by webhook at {quiet.concurrency} paced calls: "
        + ", ".join(f"{p} {percentile(v, 0.5):.1f} ms (n={len(v)})" for p, v in steps)
    )
    warnings = (workdir / "server.log").read_text().strip().splitlines()
    if warnings:
        print(f"  the server logged {len(warnings)} lines, the last: {warnings[-1][:200]}")
    return results


@contextmanager
def database(pg_url: str | None, tmp: Path, label: str) -> Iterator[str]:
    """A fresh database for one careline server: a SQLite file, or a PostgreSQL
    database created on `pg_url`'s server and dropped afterwards."""
    if not pg_url:
        yield f"sqlite:///{tmp}/{label}.db"
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"careline_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ratios(name: str, careline: list[Level], bare: list[Level], fast: list[Level]) -> None:
    """Unpaced throughput against the baselines at each concurrency, and best to best."""
    unpaced = [c for c in careline if not c.paced]
    parts = [
        f"{c.concurrency} calls {c.per_second / b.per_second:.3f}x bare, "
        f"{c.per_second / f.per_second:.3f}x FastAPI"
        for c, b, f in zip(unpaced, bare, fast, strict=True)
    ]
    best = max(c.per_second for c in unpaced)
    print(
        f"  {name}: webhook step throughput {best / max(b.per_second for b in bare):.3f}x bare "
        f"ASGI, {best / max(f.per_second for f in fast):.3f}x minimal FastAPI (best to best); "
        + "; ".join(parts)
    )


async def main_async(args: argparse.Namespace) -> None:
    levels = [int(n) for n in args.levels.split(",")]
    pg_url = args.postgresql
    backend = "PostgreSQL" if pg_url else "SQLite"
    load = os.getloadavg()[0]
    print(
        f"careline voice webhooks on {backend}: each server in its own process, this one the "
        f"client; {os.cpu_count()} CPUs, load average {load:.1f} at the start"
    )
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bare = await run_baseline("bare ASGI", "bare", levels, tmp)
        fast = await run_baseline("minimal FastAPI", "fastapi", levels, tmp)
        results = {}
        for label, at, scripts in (
            ("in-hours", IN_HOURS, IN_HOURS_SCRIPTS),
            ("after-hours", AFTER_HOURS, AFTER_HOURS_SCRIPTS),
        ):
            with database(pg_url, tmp, label.replace("-", "_")) as url:
                results[label] = await run_careline(
                    f"careline {label}", at, url, scripts, levels, tmp
                )
    print("ratios (unpaced requests per second):")
    for label, levels_ in results.items():
        ratios(f"careline {label}", levels_, bare, fast)
    print(f"load average {os.getloadavg()[0]:.1f} at the end (the machine may be shared)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgresql",
        default=os.environ.get("CARELINE_BENCH_DATABASE_URL"),
        metavar="URL",
        help="run careline on a fresh database on this PostgreSQL server",
    )
    parser.add_argument("--levels", default="8,50,200", help="concurrent calls per level")
    args = parser.parse_args()
    try:
        import uvloop

        loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        loop_factory = None
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        runner.run(main_async(args))


if __name__ == "__main__":
    main()
