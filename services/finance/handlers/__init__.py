"""Finance's use cases: one function per command or consumed event, taking the unit of work
(`FinanceUnitOfWork`: the transaction, the caller, scoped repositories, the outbox) first and
the command second. They flush, never commit: whoever opened the unit of work commits."""
