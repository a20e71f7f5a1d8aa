"""Reads a contract (one file or many joined by relative ``$ref``s) into a ``LoadedContract``.

The result is one self-contained OpenAPI 3.x document: external files are bundled under
``/x-interop-bundled/<relative path>`` and every ``$ref`` is rewritten to a local pointer, so
the engine, the mock and the validators all work on a single document. Swagger 2.0 is converted
to OpenAPI 3.0 (``swagger.py``). Recursive schemas stay as ``$ref``s: nothing is expanded.

Every pointer maps back to its original file and line with ``LoadedContract.location``.
Nothing is fetched from the network unless ``allow_remote=True``.

Relative refs resolve against the file that holds them, at every depth. Refs inside literal data
(``example``, ``enum``, ``const``, ``default``, example values, ``x-`` extensions) are data, not
references. Two publisher habits are tolerated and reported in ``LoadedContract.warnings``
(lint shows them): an Example Object ``value: {$ref: file}`` (read as data, or dropped if the
file does not load) and an operation written as a ``$ref`` (inlined). docs/lint.md says why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import referencing
import referencing.exceptions

from .errors import ContractSyntaxError, InvalidContract, UnresolvableRef
from .kinds import Kind, detect_format, kind_of
from .parsing import DEFAULT_LIMITS, Limits, ParsedFile, gc_paused, parse_bytes, parse_file
from .results import ContractRef, Location
from .types import JsonObject, JsonPointer

__all__ = [
    "BUNDLE_KEY",
    "LoadedContract",
    "escape_token",
    "join_pointer",
    "load_contract",
    "load_document",
    "resolve_pointer",
]

BUNDLE_KEY = "x-interop-bundled"
_REMOTE_TIMEOUT_S = 10.0
_REMOTE_MAX_BYTES = 5 * 1024 * 1024


def escape_token(token: str) -> str:
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def join_pointer(pointer: JsonPointer, *tokens: str | int) -> JsonPointer:
    if len(tokens) == 1:  # the hot path: one step down
        return f"{pointer}/{escape_token(str(tokens[0]))}"
    return pointer + "".join("/" + escape_token(str(t)) for t in tokens)


def resolve_pointer(document: Any, pointer: JsonPointer) -> Any:
    """The value at ``pointer`` (RFC 6901); KeyError if there is none."""
    value = document
    if not pointer:
        return value
    for raw in pointer.lstrip("/").split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise KeyError(pointer)
    return value


@dataclass(slots=True)
class LoadedContract:
    """A contract ready for the engine: one OpenAPI 3.x document plus its provenance.

    ``document`` must be treated as read-only: it is shared by everything in a run.
    """

    file: str
    """The path as the user gave it (or as the catalogue names it): what reports print."""
    document: JsonObject
    sha256: str
    source_format: str
    """``"3.2"``, ``"3.1"``, ``"3.0"`` or ``"2.0"`` (converted to 3.0); ``"asyncapi-2.6"``,
    ``"asyncapi-3.0"``, ``"jsonschema-2020-12"`` or ``"jsonschema-07"`` (``harness/kinds.py``)."""
    files: tuple[str, ...]
    _parsed: dict[str, ParsedFile] = field(repr=False)
    _pointer_map: Callable[[JsonPointer], JsonPointer] | None = field(default=None, repr=False)
    warnings: tuple[tuple[Location, str], ...] = ()
    """Problems the loader worked around (an unreadable example file): lint reports them."""
    model_cache: Any = field(default=None, init=False, repr=False, compare=False)
    """The contract's ``ContractModel``, kept here by ``openapi.contract_model`` (built once).
    Not an ``__init__`` field, so a copy with another document (``dataclasses.replace``) does
    not inherit the model of the original."""

    asyncapi_cache: Any = field(default=None, init=False, repr=False, compare=False)
    """The contract's ``AsyncApiModel`` (``asyncapi.asyncapi_model``), like ``model_cache``."""

    @property
    def kind(self) -> Kind:
        """``"openapi"``, ``"asyncapi"`` or ``"jsonschema"``: what ``check`` and ``lint`` read."""
        return kind_of(self.source_format)

    @property
    def schema_dialect(self) -> str:
        """How schemas in the document read: ``"openapi-3.0"`` (and draft-07 for AsyncAPI and
        draft-07 schemas: a ``$ref``'s siblings are ignored) or ``"2020-12"``."""
        if self.source_format in ("3.0", "2.0"):
            return "openapi-3.0"
        if self.source_format in ("asyncapi-2.6", "asyncapi-3.0", "jsonschema-07"):
            return "draft-07"
        return "2020-12"

    @property
    def version(self) -> str:
        info = self.document.get("info")
        version = info.get("version") if isinstance(info, dict) else None
        return str(version) if version is not None else ""

    @property
    def title(self) -> str:
        info = self.document.get("info")
        title = info.get("title") if isinstance(info, dict) else None
        return str(title) if title is not None else self.file

    @property
    def openapi_version(self) -> str:
        """``"3.1"`` or ``"3.0"``: the dialect of the (possibly converted) document.

        OpenAPI 3.2 keeps 3.1's schema dialect (JSON Schema 2020-12), so it reads as 3.1."""
        return "3.0" if str(self.document.get("openapi", "")).startswith("3.0") else "3.1"

    @property
    def ref(self) -> ContractRef:
        return ContractRef(file=self.file, version=self.version, sha256=self.sha256)

    def location(self, pointer: JsonPointer) -> Location:
        """Where ``pointer`` (into ``document``) came from: original file, pointer and line."""
        prefix = "/" + BUNDLE_KEY + "/"
        if pointer.startswith(prefix):
            token, _, rest = pointer[len(prefix) :].partition("/")
            name = token.replace("~1", "/").replace("~0", "~")
            parsed = self._parsed.get(name)
            if parsed is not None:
                inner = "/" + rest if rest else ""
                return Location(file=parsed.display, pointer=inner, line=parsed.line_of(inner))
        source_pointer = self._pointer_map(pointer) if self._pointer_map else pointer
        root = self._parsed[""]
        return Location(file=self.file, pointer=pointer, line=root.line_of(source_pointer))

    @property
    def source_document(self) -> JsonObject:
        """The root file as written (refs bundled), before any Swagger 2.0 conversion."""
        data: JsonObject = self._parsed[""].data
        return data

    def source_location(self, pointer: JsonPointer) -> Location:
        """Where ``pointer`` into ``source_document`` is in the root file."""
        root = self._parsed[""]
        return Location(file=self.file, pointer=pointer, line=root.line_of(pointer))

    def resolve(self, value: Any, pointer: JsonPointer = "") -> tuple[Any, JsonPointer]:
        """Follow ``$ref``s until a non-reference; return the value and its pointer."""
        seen: list[str] = []
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            ref = value["$ref"]
            if ref in seen:
                chain = " -> ".join([*seen, ref])
                raise UnresolvableRef(self.file, f"cyclic $ref chain {chain}", pointer=pointer)
            seen.append(ref)
            if not ref.startswith("#"):
                raise UnresolvableRef(self.file, f"$ref {ref!r} was not bundled", pointer=pointer)
            pointer = unquote(ref[1:])
            try:
                value = resolve_pointer(self.document, pointer)
            except KeyError:
                raise UnresolvableRef(
                    self.file, f"$ref {ref!r} points to nothing", pointer=pointer
                ) from None
        return value, pointer

    def operations(self) -> Iterator[tuple[str, str, JsonObject, JsonPointer]]:
        """(METHOD, path template, operation object, pointer) for every operation, in order."""
        paths = self.document.get("paths")
        if not isinstance(paths, dict):
            return
        for path, item in paths.items():
            item_pointer = join_pointer("/paths", path)
            item, item_pointer = self.resolve(item, item_pointer)
            if not isinstance(item, dict):
                continue
            for method in _METHODS:
                operation = item.get(method)
                if isinstance(operation, dict):
                    yield method.upper(), path, operation, join_pointer(item_pointer, method)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load_contract(
    path: str | Path,
    *,
    display: str | None = None,
    allow_remote: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> LoadedContract:
    """Load a contract file (YAML or JSON; OpenAPI 3.0/3.1 or Swagger 2.0), bundling its refs.

    Raises ``ContractSyntaxError``, ``InvalidContract`` or ``UnresolvableRef`` (all
    ``ContractError``) with the file, pointer and line of the problem. Structural validation of
    the OpenAPI document is separate (``validation.validate_contract``).
    """
    path = Path(path)
    shown = display or str(path)
    with gc_paused():
        root = parse_file(path, display=shown, limits=limits)
        return _build(root, allow_remote=allow_remote, limits=limits)


def load_document(
    document: JsonObject, *, file: str = "<memory>", limits: Limits = DEFAULT_LIMITS
) -> LoadedContract:
    """Load a contract already held in memory (tests, ``report`` round trips, diff fixtures)."""
    import json

    raw = json.dumps(document, sort_keys=True).encode()
    parsed = parse_bytes(raw, path=Path(file), display=file, limits=limits)
    return _build(parsed, allow_remote=False, limits=limits)


def _build(root: ParsedFile, *, allow_remote: bool, limits: Limits) -> LoadedContract:
    data = root.data
    if not isinstance(data, dict):
        raise InvalidContract(
            root.display, "not an OpenAPI document: the top level must be a mapping", line=1
        )
    source_format = _detect_format(root)
    bundler = _Bundler(root, allow_remote=allow_remote, limits=limits)
    document = bundler.bundle()
    pointer_map = None
    if source_format == "2.0":
        from .swagger import convert_swagger2

        document, pointer_map = convert_swagger2(document, file=root.display)
    digest = hashlib.sha256()
    for name in sorted(bundler.parsed):
        digest.update(name.encode() + b"\0" + bundler.parsed[name].raw + b"\0")
    return LoadedContract(
        file=root.display,
        document=document,
        sha256=digest.hexdigest(),
        source_format=source_format,
        files=tuple(sorted(p.display for p in bundler.parsed.values())),
        _parsed=bundler.parsed,
        _pointer_map=pointer_map,
        warnings=tuple(bundler.warnings),
    )


def _detect_format(root: ParsedFile) -> str:
    return detect_format(root.data, root.display, root.line_of)


class _Context(str):
    """How the bundler reads a value: as keywords, as a map of names, or as literal data."""


_KEYWORDS = _Context("keywords")
_NAMED = _Context("named")  # keys are names (properties, paths, components/schemas, ...)
_EXAMPLES = _Context("examples")  # a map of Example Objects
_EXAMPLE = _Context("example")  # one Example Object: its ``value`` is literal data
_DATA = _Context("data")

# Values under these keywords are literal data: a ``$ref`` there is not a reference.
_DATA_KEYS = frozenset({"example", "enum", "const", "default"})
_NAMED_MAP_KEYS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "paths",
        "webhooks",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "securityDefinitions",
        "links",
        "callbacks",
        "pathItems",
        "content",
        "encoding",
        "variables",
    }
)


class _Bundler:
    """Walks every ``$ref`` from the root, loading relative files through ``referencing``."""

    def __init__(self, root: ParsedFile, *, allow_remote: bool, limits: Limits) -> None:
        self.root = root
        self.allow_remote = allow_remote
        self.limits = limits
        self.root_uri = root.path.resolve().as_uri() if root.path.name else "memory:/root"
        self.root_dir = root.path.resolve().parent
        self.parsed: dict[str, ParsedFile] = {"": root}
        self._names: dict[str, str] = {self.root_uri: ""}
        self._by_uri: dict[str, ParsedFile] = {self.root_uri: root}
        self.warnings: list[tuple[Location, str]] = []
        self._rewritten: dict[int, JsonPointer] = {}
        """id of each dict whose $ref was rewritten to a local pointer -> its pointer."""
        self._holders: dict[int, dict[str, Any]] = {}
        self._found: set[tuple[str, str]] = set()
        self.registry: referencing.Registry[Any] = referencing.Registry(
            retrieve=self._retrieve  # type: ignore[call-arg]
        ).with_resource(self.root_uri, referencing.Resource.opaque(root.data))

    # -- retrieval ------------------------------------------------------------------------
    def _retrieve(self, uri: str) -> referencing.Resource[Any]:
        return referencing.Resource.opaque(self._fetch(uri).data)

    def _fetch(self, uri: str) -> ParsedFile:
        if uri in self._by_uri:
            return self._by_uri[uri]
        if len(self._by_uri) >= self.limits.max_files:
            raise _RefProblem(f"more than {self.limits.max_files} files referenced")
        scheme = urlsplit(uri).scheme
        if scheme == "file":
            path = Path(unquote(urlsplit(uri).path))
            try:
                shown = str(path.relative_to(self.root_dir))
                shown = str(Path(self.root.display).parent / shown)
            except ValueError:
                shown = str(path)
            if not path.is_file():
                what = "is a directory" if path.is_dir() else "file not found"
                raise _RefProblem(f"{what} ({shown})")
            try:
                parsed = parse_file(path, display=shown, limits=self.limits)
            except ContractSyntaxError as exc:
                raise _RefProblem(str(exc), nested=exc) from None
        elif scheme in ("http", "https") and self.allow_remote:
            parsed = self._fetch_remote(uri)
        elif scheme in ("http", "https"):
            raise _RefProblem(
                f"remote $ref to {uri} refused: interop never fetches a URL unless you pass "
                "--allow-remote"
            )
        else:
            raise _RefProblem(f"$ref to {uri!r} uses an unsupported scheme {scheme!r}")
        self._by_uri[uri] = parsed
        return parsed

    def _fetch_remote(self, uri: str) -> ParsedFile:
        import httpx  # only with --allow-remote: loading a contract stays free of HTTP

        try:
            with httpx.stream("GET", uri, timeout=_REMOTE_TIMEOUT_S, follow_redirects=True) as r:
                r.raise_for_status()
                chunks: list[bytes] = []
                size = 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > _REMOTE_MAX_BYTES:
                        raise _RefProblem(f"remote $ref {uri} is over {_REMOTE_MAX_BYTES} bytes")
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise _RefProblem(f"could not fetch remote $ref {uri}: {exc}") from None
        name = urlsplit(uri).path.rsplit("/", 1)[-1] or "remote"
        try:
            return parse_bytes(b"".join(chunks), path=Path(name), display=uri, limits=self.limits)
        except ContractSyntaxError as exc:
            raise _RefProblem(str(exc), nested=exc) from None

    # -- bundling -------------------------------------------------------------------------
    def _name_for(self, uri: str) -> str:
        if uri not in self._names:
            parsed = self._by_uri[uri]
            name = parsed.display
            root_parent = str(Path(self.root.display).parent)
            if root_parent not in ("", ".") and name.startswith(root_parent + "/"):
                name = name[len(root_parent) + 1 :]
            while name in self.parsed:
                name += "'"
            self._names[uri] = name
            self.parsed[name] = parsed
        return self._names[uri]

    def bundle(self) -> JsonObject:
        document: JsonObject = self.root.data
        bundled: dict[str, Any] = {}
        queue: list[tuple[Any, str, JsonPointer, _Context]] = [
            (document, self.root_uri, "", _KEYWORDS)
        ]
        walked: set[tuple[int, _Context]] = set()
        while queue:
            value, base_uri, pointer, context = queue.pop()
            if isinstance(value, list):
                if (id(value), context) in walked:
                    continue
                walked.add((id(value), context))
                child_context = _KEYWORDS if context is _NAMED else context
                queue.extend(
                    (child, base_uri, join_pointer(pointer, i), child_context)
                    for i, child in enumerate(value)
                )
                continue
            if not isinstance(value, dict) or (id(value), context) in walked:
                continue
            walked.add((id(value), context))
            if context is _NAMED:
                queue.extend(
                    (child, base_uri, join_pointer(pointer, key), _KEYWORDS)
                    for key, child in value.items()
                )
                continue
            if context is _EXAMPLES:
                for key, child in value.items():
                    # Swagger 2.0 keys response examples by media type; those are literal data.
                    if "/" not in key:
                        queue.append((child, base_uri, join_pointer(pointer, key), _EXAMPLE))
                continue
            ref = value.get("$ref")
            if isinstance(ref, str) and id(value) not in self._rewritten:
                self._rewrite_ref(value, ref, base_uri, pointer, bundled, queue)
            for key, child in list(value.items()):  # an example's value may be replaced
                if key == "$ref" or not isinstance(child, (dict, list)):
                    continue
                child_pointer = join_pointer(pointer, key)
                if context is _EXAMPLE and key == "value":
                    self._inline_example(value, child, base_uri, child_pointer)
                    continue
                if key in _DATA_KEYS or key.startswith("x-"):
                    continue
                if key == "examples":
                    child_context = _EXAMPLES if isinstance(child, dict) else _DATA
                    if child_context is _DATA:
                        continue
                elif key in _NAMED_MAP_KEYS and isinstance(child, dict):
                    child_context = _NAMED
                else:
                    child_context = _KEYWORDS
                queue.append((child, base_uri, child_pointer, child_context))
        if bundled:
            document[BUNDLE_KEY] = bundled
        self._check_ref_chains(document)
        self._inline_operation_refs(document)
        return document

    def _inline_operation_refs(self, document: JsonObject) -> None:
        """OpenAPI has no ``$ref`` for an Operation Object, but some publishers (HMRC) write
        ``get: {$ref: op.yaml, security: ...}``. Inline the target, siblings winning, so the
        engine sees a normal operation; lint reports the workaround."""
        paths = document.get("paths")
        if not isinstance(paths, dict):
            return
        for path, item in paths.items():
            item_pointer = join_pointer("/paths", path)
            for _ in range(16):
                ref = item.get("$ref") if isinstance(item, dict) else None
                if not (isinstance(ref, str) and ref.startswith("#")):
                    break
                item_pointer = unquote(ref[1:])
                item = resolve_pointer(document, item_pointer)
            if not isinstance(item, dict):
                continue
            for method in _METHODS:
                operation = item.get(method)
                ref = operation.get("$ref") if isinstance(operation, dict) else None
                if not (isinstance(operation, dict) and isinstance(ref, str)):
                    continue
                if not ref.startswith("#"):
                    continue
                target = resolve_pointer(document, unquote(ref[1:]))
                if not isinstance(target, dict):
                    continue
                siblings = {k: v for k, v in operation.items() if k != "$ref"}
                item[method] = {**target, **siblings}
                file, line, inner = self._locate(join_pointer(item_pointer, method))
                self.warnings.append(
                    (
                        Location(file=file, pointer=inner, line=line),
                        f"the {method} operation is a $ref, which OpenAPI does not allow; "
                        "interop inlined its target",
                    )
                )

    def _inline_example(
        self, example: dict[str, Any], value: Any, base_uri: str, pointer: JsonPointer
    ) -> None:
        """An Example Object's ``value`` is literal data. Some publishers (HMRC) write
        ``value: {$ref: file.json}`` to pull the example from a file; read it as data when it
        loads, and drop the example with a warning when it does not: a broken example must not
        stop a contract from being checked."""
        if not (isinstance(value, dict) and set(value) == {"$ref"}):
            return
        ref = value["$ref"]
        if not isinstance(ref, str):
            return
        target, fragment = urldefrag(urljoin(base_uri, ref))
        try:
            parsed = self._fetch(target)
            example["value"] = resolve_pointer(parsed.data, unquote(fragment))
        except (_RefProblem, KeyError) as exc:
            del example["value"]
            problem = str(exc) if isinstance(exc, _RefProblem) else "target not found"
            where = self._error(base_uri, pointer, "")
            self.warnings.append(
                (
                    Location(file=where.file, pointer=where.pointer, line=where.line),
                    f"example value $ref {ref!r} could not be read, example ignored: {problem}",
                )
            )

    def _rewrite_ref(
        self,
        holder: dict[str, Any],
        ref: str,
        base_uri: str,
        pointer: JsonPointer,
        bundled: dict[str, Any],
        queue: list[tuple[Any, str, JsonPointer, _Context]],
    ) -> str:
        if ref.startswith("#"):  # the common case: no URI arithmetic needed
            target, fragment = base_uri, unquote(ref[1:])
        else:
            target, fragment = urldefrag(urljoin(base_uri, ref))
            fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            hint = ref.replace("#", "#/", 1)
            raise self._error(
                base_uri,
                pointer,
                f"$ref {ref!r}: the part after '#' must be a JSON pointer starting with '/' "
                f"(did you mean {hint!r}?)",
            )
        try:
            parsed = self._fetch(target)
        except _RefProblem as exc:
            if exc.nested is not None:
                nested = exc.nested
                site = self._error(base_uri, pointer, "")
                referrer = f"{site.file}:{site.line}" if site.line else site.file
                raise type(nested)(
                    nested.file,
                    f"{nested.problem} (referenced from {referrer})",
                    pointer=nested.pointer,
                    line=nested.line,
                ) from None
            raise self._error(base_uri, pointer, f"$ref {ref!r}: {exc}") from None
        try:
            if (target, fragment) not in self._found:
                if target != base_uri:  # another document: resolved through referencing
                    self.registry.resolver(base_uri=target).lookup("#" + fragment)
                resolve_pointer(parsed.data, fragment)
                self._found.add((target, fragment))
        except (referencing.exceptions.Unresolvable, KeyError):
            raise self._error(
                base_uri,
                pointer,
                f"$ref {ref!r} not found" + _did_you_mean(parsed.data, fragment),
            ) from None
        self._rewritten[id(holder)] = pointer
        self._holders[id(holder)] = holder
        if target == self.root_uri:
            holder["$ref"] = "#" + fragment
        else:
            name = self._name_for(target)
            if name not in bundled:
                bundled[name] = parsed.data
                queue.append((parsed.data, target, join_pointer("/" + BUNDLE_KEY, name), _KEYWORDS))
            holder["$ref"] = "#" + join_pointer("/" + BUNDLE_KEY, name) + fragment
        return target

    def _error(self, base_uri: str, pointer: JsonPointer, problem: str) -> UnresolvableRef:
        parsed = self._by_uri.get(base_uri, self.root)
        inner = pointer
        prefix = "/" + BUNDLE_KEY + "/"
        if pointer.startswith(prefix):
            inner = "/" + pointer[len(prefix) :].partition("/")[2]
        return UnresolvableRef(
            parsed.display, problem, pointer=inner or "/", line=parsed.line_of(inner)
        )

    def _check_ref_chains(self, document: JsonObject) -> None:
        """A $ref whose target is a $ref ... back to itself can never be used: reject it."""
        done: set[str] = set()
        holders = [
            (pointer, holder)
            for holder_id, pointer in self._rewritten.items()
            for holder in (self._holders[holder_id],)
        ]
        for holder_pointer, holder in holders:
            seen: list[str] = []
            current = holder["$ref"]
            while current not in done:
                if current in seen:
                    chain = " -> ".join(_shown_ref(r) for r in [*seen, current])
                    location_file, line, inner = self._locate(holder_pointer)
                    raise UnresolvableRef(
                        location_file, f"cyclic $ref chain {chain}", pointer=inner, line=line
                    )
                seen.append(current)
                target = resolve_pointer(document, unquote(current[1:]))
                if not (isinstance(target, dict) and id(target) in self._rewritten):
                    break
                current = target["$ref"]
            done.update(seen)

    def _locate(self, pointer: JsonPointer) -> tuple[str, int | None, JsonPointer]:
        prefix = "/" + BUNDLE_KEY + "/"
        if pointer.startswith(prefix):
            token, _, rest = pointer[len(prefix) :].partition("/")
            parsed = self.parsed.get(token.replace("~1", "/").replace("~0", "~"))
            if parsed is not None:
                inner = "/" + rest
                return parsed.display, parsed.line_of(inner), inner
        return self.root.display, self.root.line_of(pointer), pointer


def _shown_ref(ref: str) -> str:
    """A bundled ref as its author wrote it: ``file.yaml#/pointer``."""
    prefix = "#/" + BUNDLE_KEY + "/"
    if not ref.startswith(prefix):
        return ref
    token, _, rest = ref[len(prefix) :].partition("/")
    return token.replace("~1", "/").replace("~0", "~") + "#/" + rest


def _did_you_mean(data: Any, fragment: str) -> str:
    import difflib

    parent_pointer, _, last = fragment.rpartition("/")
    try:
        parent = resolve_pointer(data, parent_pointer)
    except KeyError:
        return ""
    if not isinstance(parent, dict):
        return ""
    close = difflib.get_close_matches(last, [str(k) for k in parent], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _RefProblem(Exception):
    def __init__(self, message: str, *, nested: ContractSyntaxError | None = None) -> None:
        super().__init__(message)
        self.nested = nested
