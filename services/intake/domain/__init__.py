"""Intake's pure rules: BSN check, candidate states, who may read what."""
