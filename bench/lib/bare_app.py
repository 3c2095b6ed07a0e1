"""The HTTP ceiling for bench/intake.py: one `POST /echo` that parses a small pydantic body.

A helper, not a benchmark: `python -m bench.lib.bare_app --port N` (cwd: the repo root) serves
it with the uvicorn settings that `python -m services.<name> serve` uses (one worker, no access
log, no log config), so the gap to a service is the service's own work.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import AsyncIterator, Sequence

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from shared.collector import long_lived_objects_set_aside


class Echo(BaseModel):
    """The same fields as a candidate registration, without the domain checks."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    bsn: str
    given_name: str
    family_name: str
    birth_date: str
    postcode: str
    target_group: str
    benefit: str


@contextlib.asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    """As every service's app does: the objects it starts with, aside from the collector."""
    with long_lived_objects_set_aside():
        yield


app = FastAPI(title="bench bare app", openapi_url=None, docs_url=None, redoc_url=None,
              lifespan=lifespan)


@app.post("/echo", status_code=201)
async def echo(body: Echo) -> dict[str, str]:
    """Parse the body and answer 201."""
    return {"bsn": body.bsn, "status": "registered"}


def main(argv: Sequence[str] | None = None) -> int:
    """Serve on --host:--port until terminated."""
    parser = argparse.ArgumentParser(prog="python -m bench.lib.bare_app",
                                     description="the HTTP-limit app of bench/intake.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvicorn.run(app, host=args.host, port=args.port, workers=1, log_config=None,
                access_log=False, proxy_headers=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
