"""Shared parts of the benchmark scripts in bench/; the scripts there are the entry points.

    stats      plan, rows, percentiles, CPU accounting, the table and the target lines
    loadgen    the HTTP load generator, run as its own process (`python -m bench.lib.loadgen`)
    infra      private nats-server, Postgres database, migrations, service child processes
    limits     intake's write path without the service: raw inserts, relay vs raw publish
    bare_app   the HTTP ceiling (`python -m bench.lib.bare_app --port N`)

Kept import-free here so the load generator and the bare app start without the heavy modules.
"""
