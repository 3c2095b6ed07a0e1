"""One ASGI middleware for what every response needs.

It sets the API-Version and security headers, starts the trace (W3C traceparent) whose id is
the correlation id of every log line and event the request causes, refuses oversize bodies
with 413 before the app reads them, and logs one line per request without the query string
(no personal data in URIs, and none in logs).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logging import bind_request_context, get_logger, info_enabled
from shared.problems import PROBLEM_MEDIA_TYPE, PayloadTooLarge, problem_body
from shared.tracing import continue_trace, trace_id_of

log = get_logger("http")

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"strict-transport-security", b"max-age=31536000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
)
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ConventionsMiddleware:
    """API-Version + security headers, tracing, body limit and request logging."""

    def __init__(self, app: ASGIApp, *, api_version: str, service: str, max_body_bytes: int,
                 extra_headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
        self.app = app
        self.service = service
        self.max_body_bytes = max_body_bytes
        self.headers = [(b"api-version", api_version.encode()), *SECURITY_HEADERS,
                        *extra_headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope["headers"])
        traceparent = continue_trace(_decode(request_headers.get(b"traceparent")))
        bind_request_context(self.service, trace_id_of(traceparent) or "")
        started = time.perf_counter()
        status_holder: dict[str, int] = {}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message["headers"] = [*message.get("headers", []), *self.headers,
                                      (b"traceparent", traceparent.encode())]
            await send(message)

        try:
            if scope["method"] in _BODY_METHODS:
                body = await self._read_body(receive)
                if body is None:
                    too_large = PayloadTooLarge(f"the body exceeds {self.max_body_bytes} bytes")
                    await _send_problem(too_large.body(scope["path"]), send_with_headers)
                else:
                    await self.app(scope, _replay(body), send_with_headers)
            else:
                await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            # Never an opaque 500: log it with its type and answer problem+json if we still can.
            log.exception("http.unhandled", path=scope["path"], error_type=type(exc).__name__)
            if "status" in status_holder:
                raise
            await _send_problem(problem_body(
                status=500, title="Internal server error", slug="internal-error",
                detail="an unexpected error occurred; it has been logged",
                instance=scope["path"]), send_with_headers)
        if info_enabled():
            log.info("http.request", method=scope["method"], path=scope["path"],
                     status=status_holder.get("status"),
                     ms=round((time.perf_counter() - started) * 1000, 2))

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it passes the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


async def _send_problem(body: dict[str, Any], send: Send) -> None:
    raw = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": int(body["status"]),
                "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                            (b"content-length", str(len(raw)).encode())]})
    await send({"type": "http.response.body", "body": raw})


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive


def _decode(value: Any) -> str | None:
    return value.decode("latin-1") if isinstance(value, bytes) else None
