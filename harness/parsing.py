"""Reads one YAML or JSON file into Python data, safely, remembering where every node came from.

Safety limits (all configurable through ``Limits``): file size, nesting depth, YAML alias
expansion (billion laughs), duplicate keys, encodings. Every failure is a ``ContractSyntaxError``
naming the file and line.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ContractSyntaxError
from .types import JsonPointer

__all__ = ["Limits", "ParsedFile", "parse_bytes", "parse_file"]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that keep hostile input from exhausting time or memory."""

    max_bytes: int = 50 * 1024 * 1024
    max_depth: int = 256
    max_nodes: int = 5_000_000
    """Nodes after YAML aliases are expanded; a billion-laughs file exceeds it at once."""
    max_files: int = 2_000
    """Files one multi-file contract may pull in through relative $refs."""


class _StringDatesConstructor(_Loader):  # type: ignore[misc,valid-type]
    """YAML with JSON's data model: dates stay strings, keys must be unique, keys become text."""


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> dict[str, Any]:
    loader.flatten_mapping(node)
    mapping: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=False)
        if isinstance(key, bool):
            key = "true" if key else "false"
        elif key is None:
            key = "null"
        elif isinstance(key, (int, float)):
            key = str(key)
        elif not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be strings or numbers", key_node.start_mark
            )
        if key in mapping:
            first = lines[key]
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first defined on line {first})",
                key_node.start_mark,
            )
        lines[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_object(value_node, deep=False)
    return mapping


def _construct_map_lazily(loader: Any, node: yaml.MappingNode) -> Any:
    data: dict[str, Any] = {}
    yield data
    data.update(_construct_mapping(loader, node))


def _construct_str(loader: Any, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_StringDatesConstructor.add_constructor("tag:yaml.org,2002:map", _construct_map_lazily)
_StringDatesConstructor.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)
_StringDatesConstructor.add_constructor("tag:yaml.org,2002:binary", _construct_str)
_StringDatesConstructor.add_constructor("tag:yaml.org,2002:set", _construct_map_lazily)


@dataclass(slots=True)
class ParsedFile:
    """One parsed file: its data, raw bytes' hash input, and a way back from pointer to line."""

    path: Path
    display: str
    data: Any
    raw: bytes
    _node: yaml.Node | None
    _text: str | None

    def line_of(self, pointer: JsonPointer) -> int | None:
        """The 1-based line of the deepest existing node on ``pointer`` (None if unknown)."""
        node = self._node
        if node is None and self._text is not None:
            node = self._node = _compose_quietly(self._text)
        if node is None:
            return None
        line = node.start_mark.line + 1
        for token in _split_pointer(pointer):
            child = _child(node, token)
            if child is None:
                break
            node = child
            line = node.start_mark.line + 1
        return line


def _child(node: yaml.Node, token: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == token:
                return value_node  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode):
        if token.isdigit() and int(token) < len(node.value):
            return node.value[int(token)]  # type: ignore[no-any-return]
    return None


def _split_pointer(pointer: JsonPointer) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


def _compose_quietly(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)  # type: ignore[no-any-return]
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def parse_file(path: Path, *, display: str | None = None, limits: Limits = Limits()) -> ParsedFile:
    """Read and parse ``path``; raise ``ContractSyntaxError`` with file and line on any problem."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ContractSyntaxError(shown, "file not found") from None
    except OSError as exc:
        raise ContractSyntaxError(shown, f"cannot read file ({exc.strerror})") from None
    if path.is_dir():
        raise ContractSyntaxError(shown, "is a directory, not a contract file")
    if size > limits.max_bytes:
        raise ContractSyntaxError(
            shown, f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit (--max-bytes)"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContractSyntaxError(shown, f"cannot read file ({exc.strerror})") from None
    return parse_bytes(raw, path=path, display=shown, limits=limits)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode(raw: bytes, shown: str) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ContractSyntaxError(shown, f"invalid {encoding} ({exc.reason})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContractSyntaxError(
            shown,
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
            "save the file as UTF-8",
            line=line,
        ) from None


_FLOW_OPENERS = re.compile(r"[\[{]")


def _check_flow_depth(text: str, shown: str, limits: Limits) -> None:
    """Reject absurd bracket nesting before a recursive parser sees it."""
    if text.count("[") + text.count("{") <= limits.max_depth:
        return
    depth = 0
    for index, char in enumerate(text):
        if char in "[{":
            depth += 1
            if depth > limits.max_depth:
                line = text.count("\n", 0, index) + 1
                raise ContractSyntaxError(
                    shown, f"nesting deeper than {limits.max_depth} levels", line=line
                )
        elif char in "]}":
            depth = max(0, depth - 1)


def parse_bytes(
    raw: bytes, *, path: Path, display: str, limits: Limits = Limits()
) -> ParsedFile:
    """Parse bytes already read from ``path`` (JSON if it looks like JSON, else YAML)."""
    text = _decode(raw, display)
    if not text.strip():
        raise ContractSyntaxError(display, "file is empty")
    _check_flow_depth(text, display, limits)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) and path.suffix.lower() not in (".yaml", ".yml"):
        data = _parse_json(text, display, strict=path.suffix.lower() == ".json")
        if data is not None:
            _check_shape(data, display, limits, None)
            return ParsedFile(path, display, data, raw, None, text)
    node, data = _parse_yaml(text, display, limits)
    return ParsedFile(path, display, data, raw, node, None)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateJsonKey(key)
        result[key] = value
    return result


class _DuplicateJsonKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _parse_json(text: str, shown: str, *, strict: bool) -> Any:
    """JSON fast path; None means 'not JSON after all, let YAML try' (JSON is nearly YAML).

    A ``.json`` file (``strict``) gets JSON's own error message rather than YAML's.
    """
    try:
        return json.loads(text, object_pairs_hook=_reject_duplicates)
    except _DuplicateJsonKey as exc:
        node = _compose_quietly(text)
        line = _find_key_line(text, exc.key) if node is None else None
        raise ContractSyntaxError(shown, f"duplicate key {exc.key!r}", line=line) from None
    except RecursionError:
        raise ContractSyntaxError(shown, "nesting too deep") from None
    except json.JSONDecodeError as exc:
        if strict:
            raise ContractSyntaxError(
                shown, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno
            ) from None
        return None


def _find_key_line(text: str, key: str) -> int | None:
    needle = json.dumps(key) + ":"
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return text.count("\n", 0, second) + 1 if second >= 0 else None


def _parse_yaml(text: str, shown: str, limits: Limits) -> tuple[yaml.Node, Any]:
    loader = _StringDatesConstructor(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ContractSyntaxError(shown, "file holds no YAML document")
        _check_shape(None, shown, limits, node)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc):
            problem = "holds more than one YAML document; a contract is one document"
        raise ContractSyntaxError(shown, f"invalid YAML: {problem}", line=line) from None
    except yaml.YAMLError as exc:
        raise ContractSyntaxError(shown, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise ContractSyntaxError(shown, "nesting too deep") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise ContractSyntaxError(shown, f"invalid YAML value: {exc}") from None
    finally:
        loader.dispose()
    return node, data


def _check_shape(data: Any, shown: str, limits: Limits, node: yaml.Node | None) -> None:
    """Bound depth and size, counting YAML aliases as the copies they stand for."""
    if node is not None:
        _check_node_shape(node, shown, limits)
        return
    stack: list[tuple[Any, int]] = [(data, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > limits.max_depth:
            raise ContractSyntaxError(shown, f"nesting deeper than {limits.max_depth} levels")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    if count > limits.max_nodes:
        raise ContractSyntaxError(shown, f"more than {limits.max_nodes:,} nodes")


def _check_node_shape(root: yaml.Node, shown: str, limits: Limits) -> None:
    # Sizes are memoised per node, so an alias costs what its target costs without being walked
    # again; a node met again while still being measured is a recursive alias.
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            in_progress.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > limits.max_nodes:
                raise ContractSyntaxError(
                    shown,
                    f"YAML aliases expand to more than {limits.max_nodes:,} nodes "
                    "(an alias bomb?)",
                    line=node.start_mark.line + 1,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in in_progress:
            raise ContractSyntaxError(
                shown, "recursive YAML alias", line=node.start_mark.line + 1
            )
        if depth > limits.max_depth:
            raise ContractSyntaxError(
                shown,
                f"nesting deeper than {limits.max_depth} levels",
                line=node.start_mark.line + 1,
            )
        in_progress.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
