"""Voice webhook throughput and latency under concurrent simulated calls.

Serves careline (SQLite, a small demo network, the main-line flow) and a bare
ASGI endpoint from the SAME uvicorn server, then drives both with the same
number of concurrent signed requests from the virtual carrier. Prints p50/p99
latency and throughput for each and the ratios careline/bare, so the numbers
mean something on a shared, noisy machine. Not a test: nothing here passes or
fails on timing.

    .venv/bin/python bench/webhooks.py [--calls 120] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from careline.api.app import create_app
from careline.bootstrap import build_runtime
from careline.core.db import Base
from careline.core.settings import DEMO_AUTH_TOKEN, Environment, Settings
from careline.db_schema import load_all_tables
from careline.demo import MAIN_NUMBER, seed_demo
from careline.security.keyring import Keyring, save_keyring
from careline.telephony.virtual_carrier import (
    CallerInput,
    NumberConfig,
    ScriptedAgents,
    ScriptedCaller,
    VirtualCarrier,
)
from live import live_server

BARE_TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>'


async def bare_app(scope, receive, send):
    """The baseline: read the body, answer fixed TwiML. No framework, no database."""
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/xml")]}
    )
    await send({"type": "http.response.body", "body": BARE_TWIML})


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed_client(base: str, latencies: list[float], lock: threading.Lock) -> httpx.Client:
    def start(request: httpx.Request) -> None:
        request.extensions["t0"] = time.perf_counter()

    def stop(response: httpx.Response) -> None:
        elapsed = time.perf_counter() - response.request.extensions["t0"]
        with lock:
            latencies.append(elapsed)

    return httpx.Client(
        base_url=base, timeout=60, event_hooks={"request": [start], "response": [stop]}
    )


def run_calls(base: str, calls: int, concurrency: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    scripts = [
        [CallerInput(digits="1"), CallerInput(digits="1")],
        [
            CallerInput(digits="1"),
            CallerInput(digits="2"),
            CallerInput(speech="I have had a fever for three days"),
        ],
        [CallerInput(digits="2"), CallerInput(digits="4")],
    ]
    voice = f"{base}/telephony/voice"
    number = NumberConfig(f"{voice}/incoming", f"{voice}/fallback", f"{voice}/status")

    def worker(k: int) -> None:
        carrier = VirtualCarrier(timed_client(base, latencies, lock), auth_token=DEMO_AUTH_TOKEN)
        for i in range(k, calls, concurrency):
            carrier.call(
                number=number,
                from_=f"+1773555{100 + i % 99:04d}",
                to=MAIN_NUMBER,
                caller=ScriptedCaller(list(scripts[i % len(scripts)])),
                agents=ScriptedAgents(queue_wait_seconds=5),
            )

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started


def run_bare(base: str, requests: int, concurrency: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        carrier = VirtualCarrier(timed_client(base, latencies, lock), auth_token=DEMO_AUTH_TOKEN)
        params = {"CallSid": "CA0", "From": "+17735550100", "To": MAIN_NUMBER}
        for _ in range(k, requests, concurrency):
            carrier.request(f"{base}/bare/", params)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, time.perf_counter() - started


def report(name: str, latencies: list[float], seconds: float) -> dict[str, float]:
    stats = {
        "requests": len(latencies),
        "per_second": len(latencies) / seconds,
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
    }
    print(
        f"{name:>9}: {stats['requests']:6.0f} requests  {stats['per_second']:8.1f}/s  "
        f"p50 {stats['p50_ms']:7.2f} ms  p99 {stats['p99_ms']:7.2f} ms"
    )
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=120)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        keyring = Path(tmp) / "keyring.json"
        save_keyring(keyring, Keyring.generate())
        load_all_tables()
        rt = build_runtime(
            Settings(
                environment=Environment.test,
                database_url=f"sqlite:///{tmp}/bench.db",
                keyring_file=keyring,
            )
        )
        Base.metadata.create_all(rt.engine)
        seed_demo(rt, patients_count=100)
        app = create_app(rt)
        app.mount("/bare", bare_app)
        with live_server(app) as base:
            print(
                f"careline voice webhooks vs a bare ASGI endpoint, same server, "
                f"{args.concurrency} concurrent callers"
            )
            calls, calls_s = run_calls(base, args.calls, args.concurrency)
            bare, bare_s = run_bare(base, len(calls), args.concurrency)
            c = report("careline", calls, calls_s)
            b = report("bare", bare, bare_s)
        print(
            f"   ratios: throughput {c['per_second'] / b['per_second']:.3f}x of bare, "
            f"p50 {c['p50_ms'] / b['p50_ms']:.1f}x, p99 {c['p99_ms'] / b['p99_ms']:.1f}x"
        )
        rt.engine.dispose()


if __name__ == "__main__":
    main()
