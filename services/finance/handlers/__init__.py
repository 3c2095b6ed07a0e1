"""Finance's use cases: one function per command or consumed event, taking the unit of work
(the session of one transaction) first. They flush, never commit."""
