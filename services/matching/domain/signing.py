"""Standard Webhooks signatures (https://www.standardwebhooks.com), in our own code.

`v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`, the key being the
base64 part of a `whsec_…` secret. A signature header may carry several space-separated
signatures (during a key rotation); one valid one suffices. Timestamps are checked both ways
against a tolerance (5 minutes) so a captured request cannot be replayed later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping

SECRET_PREFIX = "whsec_"
TOLERANCE_S = 5 * 60
# Seconds since the epoch as ASCII digits; 12 reach beyond the year 30000, so anything longer
# is no clock reading.
TIMESTAMP = re.compile(r"[0-9]{1,12}")


class SignatureError(ValueError):
    """The request is not authentic (missing headers, no valid signature, stale timestamp)."""


def new_secret() -> str:
    """A fresh endpoint secret: `whsec_` + 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_…` secret."""
    try:
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a webhook secret is whsec_ followed by base64") from exc


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one message."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers."""
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, msg_id, timestamp, body)}


def verify(secrets_by_sender: Mapping[str, str], headers: Mapping[str, str], body: bytes,
           now: float, tolerance_s: int = TOLERANCE_S) -> tuple[str, str]:
    """(sender, webhook-id) of an authentic message; SignatureError otherwise.

    The sender is whoever's secret produced one of the signatures: each sender has its own.
    Every candidate signature is compared in constant time.
    """
    msg_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    offered = headers.get("webhook-signature", "")
    if not (msg_id and stamp and offered):
        raise SignatureError("webhook-id, webhook-timestamp and webhook-signature are required")
    # Digits only, and few of them: int() alone takes "-5", " 5", "1_0" and other scripts'
    # digits, and a 400-digit number overflows the float comparison below (that was a 500).
    if not TIMESTAMP.fullmatch(stamp):
        raise SignatureError("webhook-timestamp is not a number of seconds")
    timestamp = int(stamp)
    if abs(now - timestamp) > tolerance_s:
        raise SignatureError("webhook-timestamp is outside the tolerance")
    versioned = [part.partition(",") for part in offered.split(" ") if part]
    candidates = [sig.encode() for version, _, sig in versioned if version == "v1"]
    for sender, secret in secrets_by_sender.items():
        expected = sign(secret, msg_id, timestamp, body).partition(",")[2].encode()
        if any(hmac.compare_digest(expected, candidate) for candidate in candidates):
            return sender, msg_id
    raise SignatureError("no valid signature")
