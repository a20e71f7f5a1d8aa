"""The results store (SQLite by default, PostgreSQL by URL), can-i-deploy, the status feed.

See docs/store.md and docs/status.md. Names are exported lazily (PEP 562): the read-only
commands import ``opening``, ``deploy`` and ``status``, which need no SQLAlchemy; ``Store`` and
the writing functions load it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .deploy import Decision, Reason, can_i_deploy
    from .location import DEFAULT_STORE_FILE, ENV_VAR
    from .opening import open_store
    from .queries import PairEvidence, StoreReader, VerificationEvidence
    from .status import FEED_VERSION, status_feed
    from .store import KINDS, RecordedRun, Store, parse_age, run_identity

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
    "StoreReader",
    "VerificationEvidence",
    "can_i_deploy",
    "open_store",
    "parse_age",
    "run_identity",
    "status_feed",
]

_HOMES = {
    "Decision": "deploy",
    "Reason": "deploy",
    "can_i_deploy": "deploy",
    "DEFAULT_STORE_FILE": "location",
    "ENV_VAR": "location",
    "open_store": "opening",
    "PairEvidence": "queries",
    "StoreReader": "queries",
    "VerificationEvidence": "queries",
    "FEED_VERSION": "status",
    "status_feed": "status",
    "KINDS": "store",
    "RecordedRun": "store",
    "Store": "store",
    "parse_age": "store",
    "run_identity": "store",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
