"""Outbound messages sent exactly once (idempotency keys + the jobs runner) and the pure
SMS rules: reply keywords, quiet hours, segment counting."""
