"""Reads one YAML or JSON file into Python data, safely, remembering where every node came from.

Safety limits (all configurable through ``Limits``): file size, nesting depth, YAML alias
expansion (billion laughs), duplicate keys, encodings. Every failure is a ``ContractSyntaxError``
naming the file and line.
"""

from __future__ import annotations

import codecs
import gc
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ContractSyntaxError
from .types import JsonPointer

__all__ = ["DEFAULT_LIMITS", "Limits", "ParsedFile", "gc_paused", "parse_bytes", "parse_file"]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a contract is read.

    Parsing allocates millions of small, acyclic objects (YAML nodes, dicts); each of them
    triggers collections that walk the whole growing heap again. On a 3.8 MB spec that was
    over half of the load time. Reference counting still frees everything as usual."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


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


DEFAULT_LIMITS = Limits()


class _StringDatesConstructor(_Loader):  # type: ignore[misc]
    """YAML with JSON's data model: dates stay strings, keys must be unique, keys become text."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # OpenAPI recommends YAML 1.2, whose core schema differs from PyYAML's YAML 1.1: `yes`,
        # `on` and `12:30` stay text, `010` is ten, and `1E+2` is a number. Contracts repeat
        # the same few words thousands of times, so the answers are remembered.
        if kind is yaml.ScalarNode and implicit[0]:
            if value and value[0] not in _MAYBE_NOT_TEXT:
                return _STR  # most scalars: names and prose
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = _core_tag(value)
                if len(_RESOLVED) < 50_000:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)


_CORE_SCHEMA = (
    ("tag:yaml.org,2002:null", re.compile(r"~|null|Null|NULL|")),
    ("tag:yaml.org,2002:bool", re.compile(r"true|True|TRUE|false|False|FALSE")),
    # Unlike strict YAML 1.2, a leading zero keeps a number as text: JSON has no such
    # numbers, and `04567812` in a contract is a code (a company number), never 4567812.
    ("tag:yaml.org,2002:int", re.compile(r"[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+")),
    (
        "tag:yaml.org,2002:float",
        re.compile(
            r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
        ),
    ),
    ("tag:yaml.org,2002:merge", re.compile(r"<<")),
)


def _core_tag(value: str) -> str:
    for tag, pattern in _CORE_SCHEMA:
        if pattern.fullmatch(value):
            return tag
    return _STR


_RESOLVED: dict[str, str] = {}
_MAYBE_NOT_TEXT = frozenset("-+.0123456789~nNtTfF<")
_STR = "tag:yaml.org,2002:str"


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
            found = _child(node, token)
            if found is None:
                break
            # A mapping entry is "where its key is": the line a reader looks for.
            line = found[0].start_mark.line + 1
            node = found[1]
        return line


def _child(node: yaml.Node, token: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == token:
                return key_node, value_node
        return None
    if isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
        item: yaml.Node = node.value[int(token)]
        return item, item
    return None


def _split_pointer(pointer: JsonPointer) -> list[str]:
    if not pointer or pointer == "/":
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer.lstrip("/").split("/")]


def _compose_quietly(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def parse_file(
    path: Path, *, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParsedFile:
    """Read and parse ``path``; raise ``ContractSyntaxError`` with file and line on any problem."""
    with gc_paused():
        return _parse_file(path, display=display, limits=limits)


def _parse_file(path: Path, *, display: str | None, limits: Limits) -> ParsedFile:
    shown = display or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ContractSyntaxError(shown, "file not found") from None
    except OSError as exc:
        raise ContractSyntaxError(shown, f"cannot read file ({exc.strerror})") from None
    if path.is_dir():
        raise ContractSyntaxError(shown, "is a directory, not a contract file")
    if not path.is_file():
        # A FIFO or a device (/dev/zero) would block or never end.
        raise ContractSyntaxError(shown, "not a regular file")
    if size > limits.max_bytes:
        raise ContractSyntaxError(
            shown, f"file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit (--max-bytes)"
        )
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        raise ContractSyntaxError(shown, f"cannot read file ({exc.strerror})") from None
    if len(raw) > limits.max_bytes:  # the file grew while we looked
        raise ContractSyntaxError(
            shown, f"file is over the {limits.max_bytes:,}-byte limit (--max-bytes)"
        )
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
            f"not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start}; save the file as UTF-8",
            line=line,
        ) from None


def parse_bytes(
    raw: bytes, *, path: Path, display: str, limits: Limits = DEFAULT_LIMITS
) -> ParsedFile:
    """Parse bytes already read from ``path`` (JSON if it looks like JSON, else YAML)."""
    text = _decode(raw, display)
    if not text.strip():
        raise ContractSyntaxError(display, "file is empty")
    # Deep nesting needs no pre-scan: json raises RecursionError (caught below), libyaml stops
    # at 1,000 levels, and _construct / _check_shape enforce max_depth.
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")) and path.suffix.lower() not in (".yaml", ".yml"):
        data = _parse_json(text, display, strict=path.suffix.lower() == ".json")
        if data is not None:
            _check_json_shape(data, display, limits)
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
        line = _find_key_line(text, exc.key)
        raise ContractSyntaxError(shown, f"duplicate key {exc.key!r}", line=line) from None
    except RecursionError:
        raise ContractSyntaxError(shown, "nesting too deep") from None
    except json.JSONDecodeError as exc:
        if strict:
            raise ContractSyntaxError(
                shown, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno
            ) from None
        return None
    except ValueError as exc:  # an integer too long to convert
        raise ContractSyntaxError(shown, f"invalid JSON value: {exc}") from None


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
        data = _construct(loader, node, shown, limits)
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


_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SPECIAL_KEYS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})
_BOOLS = {"true": True, "false": False}
_AS_TEXT = frozenset(
    {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"}
)


def _construct(loader: Any, root: yaml.Node, shown: str, limits: Limits) -> Any:
    """Build Python data from composed nodes in one iterative pass (no recursion), with
    JSON's data model: unique text keys, dates as strings. Aliases share one object, as in
    PyYAML; their expansion is counted against ``max_nodes`` so a billion-laughs file fails
    fast, and a node met again while still being built is a recursive alias."""
    memo: dict[int, Any] = {}
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    mapping_node, sequence_node = yaml.MappingNode, yaml.SequenceNode
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            in_progress.discard(key)
            total = 1
            if type(node) is mapping_node:
                mapping: dict[str, Any] = memo[key]
                lines: dict[str, int] = {}
                for key_node, value_node in node.value:
                    name = _key_text(memo[id(key_node)], key_node)
                    if name in mapping:
                        raise ContractSyntaxError(
                            shown,
                            f"duplicate key {name!r} (first defined on line {lines[name]})",
                            line=key_node.start_mark.line + 1,
                        )
                    lines[name] = key_node.start_mark.line + 1
                    mapping[name] = memo[id(value_node)]
                    total += sizes[id(key_node)] + sizes[id(value_node)]
            else:
                sequence: list[Any] = memo[key]
                for child in node.value:
                    sequence.append(memo[id(child)])
                    total += sizes[id(child)]
            if total > limits.max_nodes:
                raise ContractSyntaxError(
                    shown,
                    f"YAML aliases expand to more than {limits.max_nodes:,} nodes (an alias bomb?)",
                    line=node.start_mark.line + 1,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in in_progress:
            raise ContractSyntaxError(shown, "recursive YAML alias", line=node.start_mark.line + 1)
        if depth > limits.max_depth:
            raise ContractSyntaxError(
                shown,
                f"nesting deeper than {limits.max_depth} levels",
                line=node.start_mark.line + 1,
            )
        kind = type(node)
        if kind is mapping_node:
            if node.tag not in (_MAP, "tag:yaml.org,2002:set"):
                raise _unsupported_tag(node, shown)
            if any(k.tag in _SPECIAL_KEYS for k, _ in node.value):
                loader.flatten_mapping(node)  # YAML merge keys (<<)
            memo[key] = {}
            in_progress.add(key)
            stack.append((node, depth, True))
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode:
                    raise ContractSyntaxError(
                        shown,
                        "mapping keys must be strings or numbers",
                        line=key_node.start_mark.line + 1,
                    )
                stack.append((key_node, depth + 1, False))
                stack.append((value_node, depth + 1, False))
        elif kind is sequence_node:
            if node.tag != _SEQ:
                raise _unsupported_tag(node, shown)
            memo[key] = []
            in_progress.add(key)
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in node.value)
        else:
            # Inline the common case (text) to save a call per scalar on large files.
            memo[key] = node.value if node.tag == _STR else _scalar(loader, node, shown)
            sizes[key] = 1
    return memo[id(root)]


def _scalar(loader: Any, node: yaml.Node, shown: str) -> Any:
    tag = node.tag
    if tag in _AS_TEXT:
        return str(node.value)
    if tag == "tag:yaml.org,2002:null":
        return None
    value = str(node.value)
    if tag == "tag:yaml.org,2002:bool":
        return _BOOLS[value.lower()]
    if tag == "tag:yaml.org,2002:int":
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value)
    if tag == "tag:yaml.org,2002:float":
        return float(
            value.replace(".inf", "inf")
            .replace(".Inf", "inf")
            .replace(".INF", "inf")
            .replace(".nan", "nan")
            .replace(".NaN", "nan")
            .replace(".NAN", "nan")
        )
    raise _unsupported_tag(node, shown)


def _key_text(key: Any, node: yaml.Node) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(key)


def _unsupported_tag(node: yaml.Node, shown: str) -> ContractSyntaxError:
    return ContractSyntaxError(
        shown,
        f"invalid YAML: unsupported tag {node.tag!r} (a contract holds plain JSON data)",
        line=node.start_mark.line + 1,
    )


def _check_json_shape(data: Any, shown: str, limits: Limits) -> None:
    """Bound the depth and size of parsed JSON (YAML is bounded while it is built)."""
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
