"""Diagnose's HTTP API: routers and schemas."""
