"""Print a bearer token the local stack accepts (HS256, the development secret).

    python -m shared.devtoken --org GM0757 --kind gemeente --role caseworker
    python -m shared.devtoken --org WSD --kind provider --gemeenten GM0757,GM0865 --role consultant

The token is the last word printed, so `TOKEN=$(python -m shared.devtoken ... | tail -1)` works.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

import jwt

from shared.auth import OrgKind, Role
from shared.settings import ServiceSettings


def make_token(
    *,
    org: str,
    kind: OrgKind,
    roles: Sequence[Role],
    gemeenten: Sequence[str] = (),
    subject: str | None = None,
    ttl_s: int = 8 * 3600,
    settings: ServiceSettings | None = None,
) -> str:
    """Sign a development token with the configured HS256 secret."""
    settings = settings or ServiceSettings()
    now = int(time.time())
    claims = {
        "sub": subject or f"{org}-{roles[0].value if roles else 'user'}",
        "org": org,
        "org_kind": kind.value,
        "gemeenten": list(gemeenten) or ([org] if kind is OrgKind.GEMEENTE else []),
        "roles": [r.value for r in roles],
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "iat": now,
        "exp": now + ttl_s,
    }
    return jwt.encode(claims, settings.auth_dev_secret, algorithm="HS256")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and print the token."""
    parser = argparse.ArgumentParser(prog="python -m shared.devtoken", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--org", required=True, help="CBS code (GM0757) or provider OIN/name")
    parser.add_argument("--kind", required=True, choices=[k.value for k in OrgKind])
    parser.add_argument("--role", action="append", required=True,
                        choices=[r.value for r in Role], help="repeat for several roles")
    parser.add_argument("--gemeenten", default="", help="comma-separated CBS codes (providers)")
    parser.add_argument("--sub", default=None, help="user id (default: derived from org+role)")
    parser.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds")
    args = parser.parse_args(argv)
    kind = OrgKind(args.kind)
    gemeenten = [g.strip() for g in args.gemeenten.split(",") if g.strip()]
    if kind is OrgKind.PROVIDER and not gemeenten:
        parser.error("a provider token needs --gemeenten (the gemeenten it works for)")
    token = make_token(org=args.org, kind=kind, roles=[Role(r) for r in args.role],
                       gemeenten=gemeenten, subject=args.sub, ttl_s=args.ttl)
    sys.stdout.write(f"# {kind.value} {args.org} as {', '.join(args.role)}; valid {args.ttl}s\n")
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
