"""Intake's use cases, one module per aggregate; the only users of the unit of work.

`candidates`: registration, route and programme decisions, closure, reads and lists.
`sheltered_work`: beschut-werk indications. `advice`: diagnose's advice, from the bus.
`access`: who may write, and the access log of reads. Handlers flush, never commit: whoever
opened the unit of work (the request's dependency, the inbox) commits it.
"""
