"""Heavy imports that ``jsonschema`` makes and interop rarely needs, deferred to first use."""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

__all__ = ["defer_iri_syntax"]

_DEFERRED_SYNTAX = "rfc3987_syntax"


def defer_iri_syntax() -> None:
    """Load ``rfc3987_syntax`` on first use rather than when ``jsonschema`` is imported.

    Call it before importing ``jsonschema`` (hypothesis-jsonschema imports it too): its format
    module imports ``rfc3987_syntax`` for the ``iri``/``iri-reference`` checkers, which compiles
    38 lark grammars at import: about 2.5 s of a cold ``check`` that generates anything or reads
    an AsyncAPI document or a JSON Schema (``asyncapi/structure.py``), for two formats few
    contracts use. A stand-in module takes its place in ``sys.modules`` until a checker
    runs; then the real one is imported and every call goes to it. Nothing changes when
    ``jsonschema`` (or the real module) is already imported, or the module is not installed."""
    if _DEFERRED_SYNTAX in sys.modules or "jsonschema" in sys.modules:
        return
    if importlib.util.find_spec(_DEFERRED_SYNTAX) is None:
        return
    stand_in = types.ModuleType(_DEFERRED_SYNTAX)

    def real() -> types.ModuleType:
        if sys.modules.get(_DEFERRED_SYNTAX) is stand_in:
            del sys.modules[_DEFERRED_SYNTAX]
        return importlib.import_module(_DEFERRED_SYNTAX)

    def is_valid_syntax(rule: str, value: str) -> bool:
        return bool(real().is_valid_syntax(rule, value))

    def rest(name: str) -> Any:
        if name.startswith("__"):
            # The import system and repr() probe dunders (``__path__``, ``__file__``): a
            # stand-in has none, and answering must not load the real module.
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    stand_in.__getattr__ = rest  # type: ignore[method-assign]
    sys.modules[_DEFERRED_SYNTAX] = stand_in
