"""Real parts for tests: a nats-server from the wheel, SQLite and PostgreSQL databases."""
