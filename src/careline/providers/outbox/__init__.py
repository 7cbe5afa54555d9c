"""The embedded default provider: messages are stored and shown; nothing leaves the machine."""
