"""Database plumbing: the declarative base, engines and the unit of work.

SQLite runs in WAL mode with foreign keys on; PostgreSQL via psycopg 3. Every
use case runs inside one `transaction()`: it commits at the end or rolls back
everything on any error, so a failure never leaves half a change behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from careline.core.clock import as_utc

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: PostgreSQL lock_timeout for every careline connection (milliseconds).
LOCK_TIMEOUT_MS = 15_000


class Base(DeclarativeBase):
    """Base of every ORM table; constraint names are stable across engines."""

    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone; without this, comparisons between aware and naive
    datetimes would fail in one engine and not the other.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else as_utc(value)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine configured for careline on either SQLite or PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide when transactions begin, so
            # BEGIN IMMEDIATE below takes the write lock up front.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # One writer at a time, taken at BEGIN: avoids the deadlock where two
            # readers both try to upgrade to writers and one fails at once.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No request or job may wait forever on a row lock (a stuck peer, a killed
    # worker's backend not yet gone): after LOCK_TIMEOUT it fails, rolls back and
    # is retried like any other transient error.
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        connect_args={"options": f"-c lock_timeout={LOCK_TIMEOUT_MS}"},
    )


SessionFactory = sessionmaker[Session]


def make_session_factory(engine: Engine, *, info: dict[str, Any] | None = None) -> SessionFactory:
    """`info` rides on every session (the composition root puts the live-event hub there)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True, info=info)


#: The session of the `unit_of_work` open on this thread or task, by session factory.
_AMBIENT: ContextVar[dict[int, Session] | None] = ContextVar("careline_unit_of_work", default=None)


@contextmanager
def transaction(factory: SessionFactory) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error.

    Inside a `unit_of_work` of the same factory it joins that one instead, as a
    savepoint: an error rolls back this part (the caller may catch it and go on, as
    alone), and the outer unit commits or rolls back everything together."""
    joined = _AMBIENT.get()
    if joined is not None and id(factory) in joined:
        outer = joined[id(factory)]
        with outer.begin_nested():
            yield outer
        return
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def unit_of_work(factory: SessionFactory) -> Iterator[Session]:
    """One transaction for everything a use case does through other capabilities'
    services (each of which opens its own `transaction`): a webhook step's call state,
    its timeline events, its tasks and its desk entry commit together or not at all
    (issue 11, item 28). Nested units join the outermost."""
    joined = _AMBIENT.get()
    if joined is not None and id(factory) in joined:
        yield joined[id(factory)]
        return
    with transaction(factory) as session:
        token = _AMBIENT.set({**(joined or {}), id(factory): session})
        try:
            yield session
        finally:
            _AMBIENT.reset(token)
