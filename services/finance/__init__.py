"""Finance: loonkostensubsidie, payment runs, budgets, tariffs and the business case.

Holds no name or burgerservicenummer: candidates are the pseudonymous ids of the events.
"""
