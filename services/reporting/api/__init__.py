"""Reporting's HTTP API: report tables (JSON and CSV), targets, projection status."""
