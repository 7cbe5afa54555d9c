"""Appointments and open capacity (slots): booking, rescheduling, cancelling, outcomes."""
