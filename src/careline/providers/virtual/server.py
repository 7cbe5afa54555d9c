"""Run the virtual carrier's REST side on loopback: in a thread of `careline demo`, or as
its own process (`careline carrier serve`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import uvicorn

from careline.providers.virtual.rest import CarrierState, VirtualCarrierApi

INBOUND_SMS_PATH = "/telephony/sms/inbound"


def carrier_for(careline_url: str) -> CarrierState:
    """A carrier that delivers phones' replies to careline at `careline_url`."""
    base = careline_url.rstrip("/")
    return CarrierState(inbound_sms_url=f"{base}{INBOUND_SMS_PATH}", careline_url=base)


def _server(state: CarrierState, host: str, port: int) -> uvicorn.Server:
    # No access log: the provider's list filter carries patients' numbers in the URL.
    config = uvicorn.Config(
        VirtualCarrierApi(state), host=host, port=port, log_level="warning", access_log=False
    )
    return uvicorn.Server(config)


def start_in_thread(state: CarrierState, *, host: str, port: int) -> Callable[[], None]:
    """Serve in a daemon thread; returns a function that stops it."""
    server = _server(state, host, port)
    thread = threading.Thread(target=server.run, name="virtual-carrier", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the virtual carrier could not listen on {host}:{port}")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return stop


def serve(state: CarrierState, *, host: str, port: int) -> None:
    """Serve in this thread until interrupted."""
    _server(state, host, port).run()
