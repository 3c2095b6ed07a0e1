"""Reporting's use cases, the only users of its unit of work (one module per aggregate).

Each takes the `ReportingUnitOfWork` first and a command or query from commands.py; it checks
the caller's role again (the route's dependency did so before the body was read), reads
through the caller-scoped repositories, flushes and never commits. The projections are written
by the event fold (projections.py, from events.py and rebuild.py); what else is written here is
not from events: places targets, regional targets, lokaal-plan actions and illustrative marks.
"""
