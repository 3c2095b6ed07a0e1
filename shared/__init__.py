"""The spine every service hangs from: events, bus (outbox/inbox), tenancy, errors, logging, DB."""
