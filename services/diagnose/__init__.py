"""Diagnose: the uitvoerder's werkdiagnose — instruments, ZRM, constraints, loonwaarde, advice.

Holds no name or burgerservicenummer: to show who a person is it asks intake, with the
caller's own token.
"""
