"""careline: an open, self-hostable patient-communication platform for clinics."""

__version__ = "0.1.0"
