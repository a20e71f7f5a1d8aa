"""A catalogue's judgement policy: choices a catalogue makes for every pair it holds.

Set under ``policy:`` in ``catalogue.yaml`` (``catalogue.py`` validates it) and applied by the
compatibility engine (``compat/responses.py``), never by a renderer, so that a result says what
the policy made of it. The policy is part of the cache key: changing it changes the results.

``unhandled-error-statuses`` decides which non-2xx statuses a provider may answer that a
consumer must handle (declare, or cover with a ``4XX``/``5XX`` range or ``default``), else
``response.status.unhandled-error`` (a warning):

- ``warn`` (the default): every one of them, as ``docs/rules.md`` describes the rule;
- ``ignore``: none (a consumer's generic error handling is trusted for every status);
- a list of statuses and ranges (``["404", "409", "429", "5XX"]``): only those, because they
  call for an action of their own (not found, conflict, retry later); the others fall through
  to the consumer's generic error handling and are not reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

__all__ = ["DEFAULT_POLICY", "STATUS_PATTERN", "Policy", "UnhandledErrorStatuses"]

UnhandledErrorStatuses = Literal["warn", "ignore"] | tuple[str, ...]

STATUS_PATTERN = re.compile(r"^[1345](?:[0-9]{2}|XX)$")
"""A non-2xx status (``404``) or range (``4XX``) as a policy lists it: upper-cased ``XX``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """What a catalogue decided; :data:`DEFAULT_POLICY` keeps every rule as documented."""

    unhandled_error_statuses: UnhandledErrorStatuses = "warn"

    def __post_init__(self) -> None:
        setting = self.unhandled_error_statuses
        if isinstance(setting, str):
            if setting not in ("warn", "ignore"):
                raise ValueError(
                    f"unhandled-error-statuses must be warn, ignore or a list, not {setting!r}"
                )
            return
        statuses = tuple(sorted({status.upper() for status in setting}))
        bad = [status for status in statuses if not STATUS_PATTERN.match(status)]
        if bad:
            raise ValueError(
                f"unhandled-error-statuses: {', '.join(bad)} is not a non-2xx status "
                "or range (e.g. 404, 4XX)"
            )
        object.__setattr__(self, "unhandled_error_statuses", statuses)

    def needs_handling(self, status: str) -> bool:
        """Whether a non-2xx provider ``status`` (``409``, ``4XX``, upper-cased as the model
        keys responses) the consumer does not handle deserves ``response.status.unhandled-error``.

        A listed range covers its statuses (``5XX`` covers ``503``); a provider's range
        (``4XX``) may be any status in it, so it needs handling when some listed status is in it.
        """
        setting = self.unhandled_error_statuses
        if setting == "warn":
            return True
        if setting == "ignore":
            return False
        for listed in setting:
            if listed == status:
                return True
            if listed.endswith("XX") and status[:1] == listed[0]:
                return True
            if status.endswith("XX") and listed[:1] == status[0]:
                return True
        return False

    def to_dict(self) -> dict[str, object]:
        """As ``catalogue.yaml`` writes it (``{"unhandled-error-statuses": ...}``)."""
        setting = self.unhandled_error_statuses
        return {"unhandled-error-statuses": setting if isinstance(setting, str) else list(setting)}

    def cache_token(self) -> str:
        """A stable text of the policy for the cache key."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

    def label(self) -> str:
        """The setting on one line, as ``catalogue.yaml`` writes it:
        ``unhandled-error-statuses: warn`` or ``unhandled-error-statuses: [404, 409, 5XX]``."""
        setting = self.unhandled_error_statuses
        shown = setting if isinstance(setting, str) else "[" + ", ".join(setting) + "]"
        return f"unhandled-error-statuses: {shown}"

    def describe(self) -> str:
        """One line for reports: what the policy makes of an unhandled error status."""
        setting = self.unhandled_error_statuses
        if setting == "warn":
            return "every unhandled non-2xx status is a warning"
        if setting == "ignore":
            return "unhandled non-2xx statuses are not reported"
        return (
            "an unhandled non-2xx status is a warning only for "
            + ", ".join(setting)
            + "; others fall to the consumer's generic error handling"
        )


DEFAULT_POLICY = Policy()
