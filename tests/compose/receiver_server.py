"""The webhook receiver as a container of the compose test: https on 0.0.0.0 with the test's
certificate, POST /hooks records, GET /received shows what came (to the test on the host).

Run in the project's own image with tests/ mounted: `python -m tests.compose.receiver_server`.
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from tests.compose.tls import ServerTls, serving_tls
from tests.support.receiver import Receiver


async def serve(port: int, tls: ServerTls) -> None:
    async with serving_tls(Receiver(port=port), tls, host="0.0.0.0"):  # noqa: S104 — a container
        await asyncio.Event().wait()  # until the container is stopped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--tls", type=Path, required=True, help="directory with cert/key.pem")
    args = parser.parse_args()
    tls = ServerTls(args.tls / "ca.pem", args.tls / "cert.pem", args.tls / "key.pem")
    asyncio.run(serve(args.port, tls))


if __name__ == "__main__":
    main()
