"""The dynamic waitlist: entries, ranking, offers in waves, first-confirmed-wins booking."""
