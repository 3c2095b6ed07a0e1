"""Matching's pure rules: demands vs constraints, scoring, carving, states, webhook signing."""
