"""HTTP edge: FastAPI app assembly, dependencies and problem+json errors."""
