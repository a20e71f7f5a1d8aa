"""Keeps the secrets a user passes to ``interop verify`` (``--header`` values) out of every output.

Each header the user passes is a secret: in recorded requests its value becomes a placeholder
(``$INTEROP_HEADER_AUTHORIZATION``) that the user sets in their shell before pasting a
reproduction command, and anywhere else the value (or the credential after an auth scheme such as
``Bearer``) appears, in a response body that echoes it, a message, a URL, it is replaced too.
Credentials embedded in the base URL (``https://user:pass@host``) are treated the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["MIN_SCRUB_LENGTH", "Redactor", "placeholder_for"]

MIN_SCRUB_LENGTH = 4
"""Shorter values are replaced where they are a header value, but not searched for in free text:
scrubbing every ``1`` out of a response body would destroy the evidence and protect nothing."""

_NON_WORD = re.compile(r"[^A-Za-z0-9]+")
_AUTH_SCHEMES = ("bearer ", "basic ", "token ", "apikey ", "digest ")


def placeholder_for(name: str) -> str:
    """``Authorization`` -> ``$INTEROP_HEADER_AUTHORIZATION``: what the user substitutes."""
    return "$INTEROP_HEADER_" + _NON_WORD.sub("_", name).strip("_").upper()


@dataclass(frozen=True, slots=True)
class Redactor:
    """Replaces the user's secrets in strings and in nested JSON-like data."""

    headers: tuple[tuple[str, str], ...] = ()
    """The user's headers, as given (name, value)."""
    extra_secrets: tuple[str, ...] = ()

    @classmethod
    def for_run(cls, headers: Sequence[tuple[str, str]], base_url: str = "") -> Redactor:
        extra: list[str] = []
        parts = urlsplit(base_url)
        for secret in (parts.password, parts.username):
            if secret:
                extra.extend({secret, unquote(secret)})
        return cls(headers=tuple((n, v) for n, v in headers), extra_secrets=tuple(extra))

    @property
    def names(self) -> frozenset[str]:
        """Lower-cased names of the user's headers."""
        return frozenset(name.lower() for name, _ in self.headers)

    def _pairs(self) -> list[tuple[str, str]]:
        """(secret, replacement), longest secret first so that a token inside a value is not
        replaced before the whole value is."""
        pairs: list[tuple[str, str]] = []
        for name, value in self.headers:
            placeholder = placeholder_for(name)
            if len(value) >= MIN_SCRUB_LENGTH:
                pairs.append((value, placeholder))
            lowered = value.lower()
            for scheme in _AUTH_SCHEMES:
                if lowered.startswith(scheme):
                    credential = value[len(scheme) :].strip()
                    if len(credential) >= MIN_SCRUB_LENGTH:
                        pairs.append((credential, placeholder))
        pairs.extend((s, "***") for s in self.extra_secrets if len(s) >= MIN_SCRUB_LENGTH)
        return sorted(pairs, key=lambda p: len(p[0]), reverse=True)

    def text(self, value: str) -> str:
        """``value`` with every secret replaced."""
        for secret, replacement in self._pairs():
            if secret in value:
                value = value.replace(secret, replacement)
        return value

    def url(self, url: str) -> str:
        """A URL without userinfo credentials or secrets."""
        parts = urlsplit(url)
        if parts.password or parts.username:
            host = parts.hostname or ""
            if parts.port:
                host = f"{host}:{parts.port}"
            url = parts._replace(netloc=f"***@{host}").geturl()
        return self.text(url)

    def header_value(self, name: str, value: str) -> str:
        """A request header's value: the placeholder for a user header, scrubbed otherwise."""
        lowered = name.lower()
        for user_name, user_value in self.headers:
            if user_name.lower() == lowered and value == user_value:
                return placeholder_for(user_name)
        return self.text(value)

    def data(self, value: Any) -> Any:
        """Nested JSON-like data (dicts, lists, strings) with every secret replaced."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.data(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.data(v) for v in value]
        return value
