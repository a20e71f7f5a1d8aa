"""Reads a contract (one file or many joined by relative ``$ref``s) into a ``LoadedContract``.

The result is one self-contained OpenAPI 3.x document: external files are bundled under
``/x-interop-bundled/<relative path>`` and every ``$ref`` is rewritten to a local pointer, so
the engine, the mock and the validators all work on a single document. Swagger 2.0 is converted
to OpenAPI 3.0 (``swagger.py``). Recursive schemas stay as ``$ref``s: nothing is expanded.

Every pointer maps back to its original file and line with ``LoadedContract.location``.
Nothing is fetched from the network unless ``allow_remote=True``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import httpx
import referencing
import referencing.exceptions

from .errors import ContractSyntaxError, InvalidContract, UnresolvableRef
from .parsing import Limits, ParsedFile, parse_bytes, parse_file
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
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: JsonPointer, *tokens: str | int) -> JsonPointer:
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
    """``"3.1"``, ``"3.0"`` or ``"2.0"`` (converted to 3.0)."""
    files: tuple[str, ...]
    _parsed: dict[str, ParsedFile] = field(repr=False)
    _pointer_map: Callable[[JsonPointer], JsonPointer] | None = field(default=None, repr=False)

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
        """``"3.1"`` or ``"3.0"``: the dialect of the (possibly converted) document."""
        return "3.1" if str(self.document.get("openapi", "")).startswith("3.1") else "3.0"

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
    limits: Limits = Limits(),
) -> LoadedContract:
    """Load a contract file (YAML or JSON; OpenAPI 3.0/3.1 or Swagger 2.0), bundling its refs.

    Raises ``ContractSyntaxError``, ``InvalidContract`` or ``UnresolvableRef`` (all
    ``ContractError``) with the file, pointer and line of the problem. Structural validation of
    the OpenAPI document is separate (``validation.validate_contract``).
    """
    path = Path(path)
    shown = display or str(path)
    root = parse_file(path, display=shown, limits=limits)
    return _build(root, allow_remote=allow_remote, limits=limits)


def load_document(
    document: JsonObject, *, file: str = "<memory>", limits: Limits = Limits()
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
    )


def _detect_format(root: ParsedFile) -> str:
    data = root.data
    if "openapi" in data:
        version = data["openapi"]
        if not isinstance(version, str):
            raise InvalidContract(
                root.display,
                f"'openapi' must be a string such as \"3.0.3\", not {version!r}",
                pointer="/openapi",
                line=root.line_of("/openapi"),
            )
        if version.startswith("3.0"):
            return "3.0"
        if version.startswith("3.1"):
            return "3.1"
        raise InvalidContract(
            root.display,
            f"unsupported OpenAPI version {version!r} (interop reads 3.0.x, 3.1.x and Swagger 2.0)",
            pointer="/openapi",
            line=root.line_of("/openapi"),
        )
    if "swagger" in data:
        if str(data["swagger"]) != "2.0" or not isinstance(data["swagger"], str):
            raise InvalidContract(
                root.display,
                f"'swagger' must be the string \"2.0\", not {data['swagger']!r}",
                pointer="/swagger",
                line=root.line_of("/swagger"),
            )
        return "2.0"
    raise InvalidContract(
        root.display,
        "not an OpenAPI document: no 'openapi' or 'swagger' key at the top level",
        line=1,
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
        queue: list[tuple[Any, str, JsonPointer]] = [(document, self.root_uri, "")]
        walked: set[int] = set()
        while queue:
            value, base_uri, pointer = queue.pop()
            if isinstance(value, dict):
                if id(value) in walked:
                    continue
                walked.add(id(value))
                ref = value.get("$ref")
                if isinstance(ref, str):
                    target_uri = self._rewrite_ref(value, ref, base_uri, pointer, bundled, queue)
                    del target_uri
                for key, child in value.items():
                    if key != "$ref":
                        queue.append((child, base_uri, join_pointer(pointer, key)))
            elif isinstance(value, list):
                if id(value) in walked:
                    continue
                walked.add(id(value))
                queue.extend(
                    (child, base_uri, join_pointer(pointer, i)) for i, child in enumerate(value)
                )
        if bundled:
            document[BUNDLE_KEY] = bundled
        self._check_ref_chains(document)
        return document

    def _rewrite_ref(
        self,
        holder: dict[str, Any],
        ref: str,
        base_uri: str,
        pointer: JsonPointer,
        bundled: dict[str, Any],
        queue: list[tuple[Any, str, JsonPointer]],
    ) -> str:
        target, fragment = urldefrag(urljoin(base_uri, ref))
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            raise self._error(
                base_uri, pointer, f"$ref {ref!r}: only JSON-pointer fragments are supported"
            )
        try:
            parsed = self._fetch(target)
        except _RefProblem as exc:
            if exc.nested is not None:
                raise exc.nested from None
            raise self._error(base_uri, pointer, f"$ref {ref!r}: {exc}") from None
        try:
            self.registry.resolver(base_uri=target).lookup("#" + fragment)
            resolve_pointer(parsed.data, fragment)
        except (referencing.exceptions.Unresolvable, KeyError):
            raise self._error(
                base_uri,
                pointer,
                f"$ref {ref!r} not found" + _did_you_mean(parsed.data, fragment),
            ) from None
        if target == self.root_uri:
            holder["$ref"] = "#" + fragment
        else:
            name = self._name_for(target)
            if name not in bundled:
                bundled[name] = parsed.data
                queue.append((parsed.data, target, join_pointer("/" + BUNDLE_KEY, name)))
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
        for holder_pointer, ref in _iter_refs(document):
            seen: list[str] = []
            current = ref
            while current not in done:
                if current in seen:
                    chain = " -> ".join([*seen, current])
                    location_file, line, inner = self._locate(holder_pointer)
                    raise UnresolvableRef(
                        location_file, f"cyclic $ref chain {chain}", pointer=inner, line=line
                    )
                seen.append(current)
                target = resolve_pointer(document, unquote(current[1:]))
                if not (isinstance(target, dict) and isinstance(target.get("$ref"), str)):
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


def _iter_refs(document: Any) -> Iterator[tuple[JsonPointer, str]]:
    stack: list[tuple[Any, JsonPointer]] = [(document, "")]
    seen: set[int] = set()
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, dict):
            if id(value) in seen:
                continue
            seen.add(id(value))
            ref = value.get("$ref")
            if isinstance(ref, str):
                yield pointer, ref
            stack.extend((v, join_pointer(pointer, k)) for k, v in value.items() if k != "$ref")
        elif isinstance(value, list):
            if id(value) in seen:
                continue
            seen.add(id(value))
            stack.extend((v, join_pointer(pointer, i)) for i, v in enumerate(value))


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
