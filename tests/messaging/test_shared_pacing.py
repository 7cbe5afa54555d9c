"""Issue 9: the sending pace holds for all worker processes together. Two pacers
with their own engines (two processes' worth of connections) share one database."""

from __future__ import annotations

import threading

import pytest

from careline.bootstrap import build_runtime
from careline.providers.pacing.service import SharedPacer


@pytest.fixture
def two_processes(settings, clock, rt):
    other = build_runtime(settings, clock=clock)  # its own engine and connections
    yield rt.sessions, other.sessions
    other.events.close()
    other.engine.dispose()


def _pacer(sessions, now, slept):
    return SharedPacer(
        sessions, per_number=1.0, per_service=4.0, now=lambda: now[0], sleep=slept.append
    )


def test_two_processes_share_one_senders_pace(two_processes):
    now, slept_a, slept_b = [1000.0], [], []
    a = _pacer(two_processes[0], now, slept_a)
    b = _pacer(two_processes[1], now, slept_b)
    # One number at 1/s: whichever process asks, each send takes the next second.
    assert [a.reserve("+13125550199"), b.reserve("+13125550199"), a.reserve("+13125550199")] == [
        1000.0,
        1001.0,
        1002.0,
    ]
    assert b.wait("+13125550199") == 3.0 and slept_b == [3.0]
    # Another number has its own pace, but the whole service (4/s) still binds it:
    # four sends so far took the service's slots up to 1003.25.
    assert a.reserve("+13125550188") == 1003.25
    assert a.reserve("+13125550188") == 1004.25  # its own 1/s now binds


def test_concurrent_workers_never_share_a_slot(two_processes):
    now = [5000.0]
    pacers = [_pacer(two_processes[i % 2], now, []) for i in range(4)]
    slots: list[float] = []
    lock = threading.Lock()

    def send(pacer: SharedPacer) -> None:
        for _ in range(5):
            at = pacer.reserve("MGservice")
            with lock:
                slots.append(at)

    threads = [threading.Thread(target=send, args=(p,)) for p in pacers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 20 sends from 4 workers in 2 processes: 20 distinct slots, a second apart.
    assert sorted(slots) == [5000.0 + i for i in range(20)]
