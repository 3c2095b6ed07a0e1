"""Matching's HTTP API."""
