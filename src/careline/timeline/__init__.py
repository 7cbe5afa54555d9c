"""The timeline: one ordered history of every contact with a patient."""
