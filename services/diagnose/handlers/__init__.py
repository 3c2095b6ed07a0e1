"""Diagnose's use cases, the only users of the unit of work. They flush, never commit.

One module per part of the werkdiagnose: `cases` (open, plan, read, close, withdraw),
`profile` (ZRM and work profile), `measurements` (loonwaarde and its re-assessment) and
`advice` (plan and advice). `case_access` holds who may do what to which case, `input_rules`
how a broken rule is answered.
"""
