"""How calls and messages leave careline: one protocol, several providers."""
