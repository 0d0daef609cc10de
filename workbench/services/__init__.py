"""Use cases: the only API that pages and CLI commands call."""
