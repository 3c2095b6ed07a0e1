"""Diagnose's pure rules and reference data."""
