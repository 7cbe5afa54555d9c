"""Voice and SMS at the provider edge: TwiML, signatures, and the virtual carrier."""
