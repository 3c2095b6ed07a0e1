"""Reporting's pure rules: periods, the event fold, suppression and statistics. No I/O."""
