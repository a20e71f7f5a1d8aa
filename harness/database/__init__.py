"""The results store (SQLite by default, PostgreSQL by URL), can-i-deploy, the status feed.

See docs/store.md and docs/status.md.
"""

from __future__ import annotations

from .deploy import Decision, Reason, can_i_deploy
from .status import FEED_VERSION, status_feed
from .store import (
    DEFAULT_STORE_FILE,
    ENV_VAR,
    KINDS,
    PairEvidence,
    RecordedRun,
    Store,
    VerificationEvidence,
    open_store,
    parse_age,
    run_identity,
)

__all__ = [
    "DEFAULT_STORE_FILE",
    "ENV_VAR",
    "FEED_VERSION",
    "KINDS",
    "Decision",
    "PairEvidence",
    "Reason",
    "RecordedRun",
    "Store",
    "VerificationEvidence",
    "can_i_deploy",
    "open_store",
    "parse_age",
    "run_identity",
    "status_feed",
]
