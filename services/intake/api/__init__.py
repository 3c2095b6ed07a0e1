"""Intake's HTTP API: routers and schemas."""
