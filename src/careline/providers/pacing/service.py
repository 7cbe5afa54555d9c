"""Keep every sender, and the whole service, under its documented throughput across
all worker processes (issue 9).

An in-process pacer keeps one process to the limit, so N workers would send N times
as fast. Here the next permitted moment of each sender lives in the database: a
worker reserves its slot in one short transaction (rows locked on PostgreSQL; SQLite
takes its one write lock) and sleeps outside it, so workers queue for slots instead
of racing the provider into 429s.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from careline.core.db import SessionFactory, transaction
from careline.providers.pacing.tables import SendPaceRow

#: The row that paces the whole account (every sender together).
SERVICE = "*"


class SharedPacer:
    """The database-backed pace: `wait(sender)` blocks until `sender` may send."""

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        per_number: float,
        per_service: float,
        now: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._sessions = sessions
        self._gap_number = 1.0 / per_number
        self._gap_service = 1.0 / per_service
        self._now, self._sleep = now, sleep

    def reserve(self, sender: str) -> float:
        """Take the sender's next slot; returns the moment (Unix time) it may send."""
        keys = sorted({sender[:80], SERVICE})  # one order for every process: no deadlock
        with transaction(self._sessions) as s:
            dialect = s.get_bind().dialect.name
            insert = pg_insert if dialect == "postgresql" else sqlite_insert
            now = self._now()
            s.execute(
                insert(SendPaceRow)
                .values([{"sender": k, "next_at": now} for k in keys])
                .on_conflict_do_nothing(index_elements=["sender"])
            )
            rows = {
                r.sender: r
                for r in s.execute(
                    select(SendPaceRow)
                    .where(SendPaceRow.sender.in_(keys))
                    .order_by(SendPaceRow.sender)
                    .with_for_update()
                ).scalars()
            }
            own, whole = rows[sender[:80]], rows[SERVICE]
            at = max(now, own.next_at, whole.next_at)
            own.next_at = at + self._gap_number
            whole.next_at = at + self._gap_service
            return at

    def wait(self, sender: str) -> float:
        """Block until `sender` may send; returns how long it waited."""
        at = self.reserve(sender)
        waited = at - self._now()
        if waited > 0:
            self._sleep(waited)
        return max(waited, 0.0)
