"""Compliance reports: where patient information went (the PHI channel report)."""
