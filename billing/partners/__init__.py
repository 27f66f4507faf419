"""Partners collecting water bills over machine interfaces (SNAP BI virtual accounts)."""
