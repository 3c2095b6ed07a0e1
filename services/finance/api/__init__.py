"""Finance's HTTP API."""
