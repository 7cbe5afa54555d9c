"""Call flows: versioned IVR graph documents, their validation and the pure step engine."""
