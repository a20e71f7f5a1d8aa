"""Regular-expression containment: is every string one ``pattern`` admits admitted by another?

Decided, not sampled, on finite automata built by ``interegular`` (a pure-Python regex-to-FSM
library). JSON Schema patterns are ECMA-262 and unanchored (a string matches when the pattern
matches anywhere in it); automata match whole strings, so an unanchored end becomes
``[\\s\\S]*``. Patterns the library cannot express (lookarounds, backreferences, Unicode
properties, anchors inside alternatives) give ``None``: not decided here, left to generation.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from typing import Any

__all__ = ["Containment", "containment"]

_MAX_PATTERN = 300
_MAX_REPEAT = 300
_MAX_STATES = 5_000
_REPEAT = re.compile(r"\{(\d+)(?:,(\d*))?\}")
_PREFERRED = "a0A-_. ~xyz19"


class Containment:
    """The answer: ``contained`` (every producer string matches the accepting pattern), else a
    ``witness``: a shortest string the producer admits and the accepting pattern refuses."""

    __slots__ = ("contained", "witness")

    def __init__(self, contained: bool, witness: str | None = None) -> None:
        self.contained = contained
        self.witness = witness

    def __repr__(self) -> str:
        return f"Containment(contained={self.contained}, witness={self.witness!r})"


def containment(
    producer: str | None,
    acceptor: str,
    *,
    min_length: int = 0,
    max_length: int | None = None,
) -> Containment | None:
    """Whether every string matching ``producer`` (any string when None), of a length in
    ``[min_length, max_length]``, matches ``acceptor``; None when not decidable here."""
    return _containment(producer, acceptor, min_length, max_length)


@functools.lru_cache(maxsize=512)
def _containment(
    producer: str | None, acceptor: str, min_length: int, max_length: int | None
) -> Containment | None:
    try:
        from interegular import parse_pattern
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    produced = _full(producer) if producer is not None else r"[\s\S]*"
    accepted = _full(acceptor)
    if produced is None or accepted is None:
        return None
    lengths = None
    if min_length > 0 or max_length is not None:
        if max_length is not None and max_length > _MAX_REPEAT:
            max_length = None
        if min_length > _MAX_REPEAT:
            return None
        upper = "" if max_length is None else str(max_length)
        lengths = rf"[\s\S]{{{min_length},{upper}}}"
    try:
        # interegular's FSM operations are untyped.
        fsm: Any = parse_pattern(produced).to_fsm()
        if lengths is not None:
            fsm = fsm.intersection(parse_pattern(lengths).to_fsm())
        rest = fsm.difference(parse_pattern(accepted).to_fsm())
        if len(rest.states) > _MAX_STATES:
            return None
        if rest.empty():
            return Containment(True)
        return Containment(False, _shortest(rest))
    except Exception:  # the library refuses the syntax (Unsupported, ...) or fails on it
        return None


def _full(pattern: str) -> str | None:
    """``pattern`` (ECMA-262, search semantics) as a whole-string pattern, or None."""
    if len(pattern) > _MAX_PATTERN or any(
        int(m.group(2) or m.group(1)) > _MAX_REPEAT for m in _REPEAT.finditer(pattern)
    ):
        return None
    start = pattern.startswith("^")
    body = pattern[1:] if start else pattern
    end = body.endswith("$") and not _escaped(body, len(body) - 1)
    body = body[:-1] if end else body
    if _has_unescaped(body, "^$") or ((start or end) and _top_level_alternation(body)):
        return None
    if re.search(r"\\[pPkbB]|\(\?[=!<]|\\[1-9]", body):
        return None  # Unicode properties, word boundaries, lookarounds, backreferences
    head = "" if start else r"[\s\S]*"
    tail = "" if end else r"[\s\S]*"
    return f"{head}(?:{body}){tail}"


def _escaped(text: str, index: int) -> bool:
    slashes = 0
    while index - 1 - slashes >= 0 and text[index - 1 - slashes] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _outside_classes(text: str) -> list[tuple[int, str, int]]:
    """(index, char, paren depth) of every unescaped char outside ``[...]``."""
    out: list[tuple[int, str, int]] = []
    depth, in_class, index = 0, False, 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            out.append((index, char, depth))
        index += 1
    return out


def _has_unescaped(text: str, chars: str) -> bool:
    return any(char in chars for _, char, _ in _outside_classes(text))


def _top_level_alternation(text: str) -> bool:
    return any(char == "|" and depth == 0 for _, char, depth in _outside_classes(text))


def _shortest(fsm: Any) -> str | None:
    """A shortest string ``fsm`` accepts (breadth-first over states, not strings)."""
    alphabet = fsm.alphabet
    symbols: dict[Any, str] = {}
    for transition, chars in alphabet.by_transition.items():
        plain = [c for c in chars if isinstance(c, str)]
        if plain:
            symbols[transition] = min(plain, key=lambda c: (c not in _PREFERRED, ord(c)))
        else:  # "anything else": a character no explicit class names
            named = {c for group in alphabet.by_transition.values() for c in group}
            symbols[transition] = next(
                (c for c in _PREFERRED + "bcdefghijklmnopqrstuvw" if c not in named), "\u00e9"
            )
    seen = {fsm.initial: ""}
    queue = deque([fsm.initial])
    while queue:
        state = queue.popleft()
        if state in fsm.finals:
            return seen[state]
        for transition, target in sorted(fsm.map.get(state, {}).items()):
            if target not in seen and transition in symbols:
                seen[target] = seen[state] + symbols[transition]
                queue.append(target)
    return None
