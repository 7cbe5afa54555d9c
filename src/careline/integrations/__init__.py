"""Integrations with other systems of a clinic (EHRs through FHIR)."""
