"""Pure building blocks shared by every capability: clock, ids, errors, settings, phones."""
