"""Scenarios shipped with careline (JSON, documented in docs/simulation.md)."""
