"""Canonical forms of contract parts, ``$ref`` targets as digests and documentation dropped:
equal forms mean nothing on the wire changed, so the walk skips those parts."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from ..loading import resolve_pointer
from .keywords import DOC_KEYS
from .locating import unquote_pointer

if TYPE_CHECKING:
    from ..loading import LoadedContract
    from ..types import JsonValue


_NAMED = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "content",
        "encoding",
        "callbacks",
        "links",
        "scopes",
        "mapping",
    }
)
_LITERAL = frozenset({"enum", "const", "default", "required"})


class CanonicalForm:
    """A canonical form of any part of a contract: refs inlined, documentation dropped."""

    def __init__(self, contract: LoadedContract) -> None:
        self.contract = contract
        self.memo: dict[str, JsonValue] = {}

    def of(self, value: JsonValue, stack: tuple[str, ...] = (), named: bool = False) -> JsonValue:
        if isinstance(value, list):
            return [self.of(v, stack) for v in value]
        if not isinstance(value, dict):
            return value
        if named:
            return {str(k): self.of(v, stack) for k, v in value.items()}
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            target = ref[1:]
            if target in stack:
                return {"$rec": target.rsplit("/", 1)[-1]}
            if target not in self.memo:
                try:
                    resolved = resolve_pointer(self.contract.document, unquote_pointer(target))
                except KeyError:
                    resolved = {"$missing": target}
                # A digest stands for the target, so each operation's form stays small.
                text = json.dumps(self.of(resolved, (*stack, target)), sort_keys=True, default=str)
                self.memo[target] = {"$sha": hashlib.sha256(text.encode()).hexdigest()}
            rest = {k: v for k, v in value.items() if k != "$ref" and k not in DOC_KEYS}
            if not rest:
                return self.memo[target]
            return {"$and": [self.memo[target], self.of(rest, stack)]}
        out: dict[str, JsonValue] = {}
        for key, child in value.items():
            if key in DOC_KEYS or key.startswith("x-"):
                continue
            if key in _LITERAL:
                out[key] = child
            else:
                out[key] = self.of(child, stack, named=key in _NAMED and isinstance(child, dict))
        return out

    def text(self, value: JsonValue) -> str:
        return json.dumps(self.of(value), sort_keys=True, default=str)
