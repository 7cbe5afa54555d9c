"""Durable due work: rows with a due time, claimed by workers, retried with backoff.

PostgreSQL: several `careline worker` processes share the work through
`SELECT … FOR UPDATE SKIP LOCKED`. SQLite: one worker (in-process under
`careline serve`). A worker that dies loses its lease and its jobs become
claimable again, so handlers must be idempotent (messaging's are, through
idempotency keys).
"""
