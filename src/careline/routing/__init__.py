"""Call routing: priorities, agent selection, overflow, callbacks, on-call and staffing."""
