"""Intake: the gemeente registers candidates and decides route and programme.

The only service that holds personal data (BSN, name, birth date, postcode).
"""
