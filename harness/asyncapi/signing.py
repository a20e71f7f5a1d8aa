"""Signed deliveries: the HMAC a provider puts on what it delivers (``x-interop-signature``).

The signature is the lowercase hex HMAC-SHA256 of the raw body, keyed with a shared secret:
``--signing-secret``, else ``$INTEROP_SIGNING_SECRET``, else the demo catalogue's documented
default (``DEFAULT_SIGNING_SECRET``). The secret is never written to a report or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from ..errors import UsageError
from .model import Signature

__all__ = [
    "ALGORITHMS",
    "DEFAULT_SIGNING_SECRET",
    "SIGNING_SECRET_ENV",
    "sign",
    "signing_secret",
]

DEFAULT_SIGNING_SECRET = "interop-demo-signing-secret"
"""The demo catalogue's secret: what a programme's receiver checks against the bundled mocks."""
SIGNING_SECRET_ENV = "INTEROP_SIGNING_SECRET"

ALGORITHMS = {"hmac-sha256": hashlib.sha256}
"""The algorithms ``x-interop-signature`` may name."""


def signing_secret(given: str | None = None) -> str:
    """The secret to sign with: ``given``, else the environment's, else the demo default."""
    if given:
        return given
    return os.environ.get(SIGNING_SECRET_ENV) or DEFAULT_SIGNING_SECRET


def sign(signature: Signature, body: bytes, secret: str) -> tuple[str, str]:
    """The header (name, value) that signs ``body`` as ``signature`` declares."""
    digest = ALGORITHMS.get(signature.algorithm.lower())
    if digest is None:
        known = ", ".join(ALGORITHMS)
        raise UsageError(
            f"x-interop-signature: unknown algorithm {signature.algorithm!r} (known: {known})"
        )
    value = hmac.new(secret.encode("utf-8"), body, digest).hexdigest()
    return signature.header, value
