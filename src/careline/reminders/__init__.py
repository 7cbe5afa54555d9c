"""Appointment reminders with two-way replies (see docs/reminders.md)."""
