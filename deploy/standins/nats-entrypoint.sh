#!/bin/sh
# Stand-in for the nats:2.10-alpine entrypoint: arguments that start with "-" are options for
# nats-server (compose passes `-js -sd /data -m 8222`); anything else is a command to run.
case "${1:-}" in
  -*) set -- nats-server "$@" ;;
esac
exec "$@"
