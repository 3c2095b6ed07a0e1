"""The HTTP ceiling for bench/intake.py: one `POST /echo` that parses a small pydantic body.

Not a benchmark by itself (`make bench` runs it without arguments and it only says so):
`python bench/bare_app.py --port N` serves it with the uvicorn settings that
`python -m services.<name> serve` uses (one worker, no access log, no log config).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


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


app = FastAPI(title="bench bare app", openapi_url=None, docs_url=None, redoc_url=None)


@app.post("/echo", status_code=201)
async def echo(body: Echo) -> dict[str, str]:
    """Parse the body and answer 201."""
    return {"bsn": body.bsn, "status": "registered"}


def main(argv: Sequence[str] | None = None) -> int:
    """Serve on 127.0.0.1:--port, or explain that this is a helper."""
    parser = argparse.ArgumentParser(prog="python bench/bare_app.py")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)
    if args.port is None:
        sys.stdout.write("bench/bare_app.py: the HTTP-limit app of bench/intake.py, "
                         "not a benchmark (give --port to serve it)\n")
        return 0
    uvicorn.run(app, host=args.host, port=args.port, workers=1, log_config=None,
                access_log=False, proxy_headers=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
