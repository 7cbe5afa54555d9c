"""Operational metrics for Prometheus (`GET /metrics`): webhook latency, queues, agents,
jobs, messages, tasks and triage, with no PHI in any name, label or value.

`model` holds the metrics and the pure pieces (it imports nothing that reaches the
database, so any capability can count through it), `service` reads the database's gauges at scrape
time and renders the exposition, `api` is the route and the webhook timing middleware.
See docs/metrics.md.
"""
