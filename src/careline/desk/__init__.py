"""The agent side of live calls: who takes which waiting call, and agents' presence."""
