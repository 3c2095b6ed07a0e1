"""NATS JetStream: connection, streams, the transactional outbox and the idempotent inbox."""
