"""Two versions of a provider contract into classified changes: what would break consumers.

For cluster teams, before they publish. ``diff(old, new)`` treats OLD as the most demanding
consumer compatible with it (it may send every request OLD accepts, and handles exactly the
responses OLD may return) and asks the compatibility engine's static reasoning
(``compat.subset.compare`` over ``compat.shapes`` trees, the same trees ``interop check`` builds)
whether NEW still serves it. A change is *breaking* exactly when such a consumer would get an
error-severity finding from ``interop check``; its rule id is that finding's rule. (Response
media types are negotiated, so there the most demanding consumer reads only one of OLD's types.
One deliberate exception: a request input OLD declares and NEW does not is breaking, with a
diff-only rule, although ``check`` only warns about an undeclared input; see docs/rules.md.)
The reverse comparison (NEW as producer, OLD as acceptor) names what was relaxed, as
non-breaking changes.

What generic diff tools get wrong and this does not: schemas are compared by meaning, after
``$ref`` inlining and 3.0/3.1 normalisation, so ``$ref`` refactoring, key order, descriptions,
examples and ``nullable`` versus ``type: [..., "null"]`` are not changes; path parameters pair
up by position, so a rename with the same template is not a change; a change inside a shared
component is reported against every operation that reaches it and once for the component.
Operations whose resolved content is identical are skipped without comparison, which keeps a
diff of two 1 MB contracts well under a second.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .compat.compare import _acceptor_tree, _producer_tree
from .compat.context import Side
from .compat.media import best_match
from .compat.operations import _base_path, template_key
from .compat.requests import Parameter, _style_differs, parameters
from .compat.responses import _handler, _responses
from .compat.security import _flows, _requirements, _scheme, _signature
from .compat.shapes import closed, merge_all_of, opened
from .compat.subset import Issue, compare
from .errors import ContractError
from .loading import LoadedContract, join_pointer, load_contract, resolve_pointer
from .results import Change, ContractRef, Location
from .types import JsonObject, JsonPointer, JsonValue, OperationKey

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = ["DiffResult", "diff", "diff_files", "diff_versions"]

Place = Literal["request.body", "request.parameter", "response.body", "response.header"]

# Keys that never change what crosses the wire: skipped when fingerprinting an operation.
_DOC_KEYS = frozenset(
    {"description", "summary", "example", "examples", "externalDocs", "xml", "title", "tags",
     "operationId", "$comment", "contact", "license", "termsOfService"}
)  # fmt: skip
_NAMED = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas",
     "responses", "parameters", "requestBodies", "headers", "securitySchemes", "content",
     "encoding", "callbacks", "links", "scopes", "mapping"}
)  # fmt: skip
_LITERAL = frozenset({"enum", "const", "default", "required"})


@dataclass(frozen=True, slots=True, kw_only=True)
class DiffResult:
    """Every change between two versions of one contract, breaking ones first."""

    old: ContractRef
    new: ContractRef
    changes: tuple[Change, ...] = ()
    duration_s: float = 0.0

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def exit_code(self) -> int:
        """1 when any change is breaking, else 0 (bad input raises, exit 2)."""
        return 1 if self.breaking else 0

    def by_operation(self) -> dict[str, tuple[Change, ...]]:
        """Changes grouped by operation (component-only changes under ``""``), sorted."""
        groups: dict[str, list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.operation or "", []).append(change)
        return {key: tuple(groups[key]) for key in sorted(groups)}


# -- public API --------------------------------------------------------------------------------
def diff(old: LoadedContract, new: LoadedContract) -> DiffResult:
    """Classify every change from ``old`` to ``new`` (two versions of one provider contract).

    Raises ``ContractError`` (naming the file) when either contract cannot be compared, for
    example a schema that cannot be normalised or a ``$ref`` chain that does not resolve.
    """
    clock = time.perf_counter()
    differ = _Differ(Side.of(old), Side.of(new))
    try:
        differ.run()
    except RecursionError:
        raise ContractError(
            f"{old.file} / {new.file}", "schemas nest too deeply to compare"
        ) from None
    changes = tuple(sorted(set(differ.changes), key=Change.sort_key))
    return DiffResult(
        old=old.ref,
        new=new.ref,
        changes=changes,
        duration_s=round(time.perf_counter() - clock, 3),
    )


def diff_files(old_file: str | Path, new_file: str | Path) -> DiffResult:
    """Load both files (OpenAPI 3.x or Swagger 2.0, in any mix) and diff them.

    A file that cannot be loaded raises ``ContractError`` naming that file, pointer and line.
    """
    old = load_contract(old_file)
    new = load_contract(new_file)
    return diff(old, new)


def diff_versions(
    catalogue: Catalogue, cluster: str, old_version: str, new_version: str
) -> DiffResult:
    """The catalogue form: ``interop diff --cluster unity 2.3.0 2.4.0``.

    Unknown cluster or version: ``UsageError``."""
    entry = catalogue.cluster(cluster)
    old_path, new_path = entry.file_for(old_version), entry.file_for(new_version)
    old = load_contract(old_path, display=catalogue.display(old_path))
    new = load_contract(new_path, display=catalogue.display(new_path))
    return diff(old, new)


# -- fingerprints: identical operations are not compared ---------------------------------------
class _Canon:
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
                    resolved = resolve_pointer(self.contract.document, _unquote(target))
                except KeyError:
                    resolved = {"$missing": target}
                # A digest stands for the target, so each operation's form stays small.
                text = json.dumps(self.of(resolved, (*stack, target)), sort_keys=True, default=str)
                self.memo[target] = {"$sha": hashlib.sha256(text.encode()).hexdigest()}
            rest = {k: v for k, v in value.items() if k != "$ref" and k not in _DOC_KEYS}
            if not rest:
                return self.memo[target]
            return {"$and": [self.memo[target], self.of(rest, stack)]}
        out: dict[str, JsonValue] = {}
        for key, child in value.items():
            if key in _DOC_KEYS or key.startswith("x-"):
                continue
            if key in _LITERAL:
                out[key] = child
            else:
                out[key] = self.of(child, stack, named=key in _NAMED and isinstance(child, dict))
        return out

    def text(self, value: JsonValue) -> str:
        return json.dumps(self.of(value), sort_keys=True, default=str)


def _unquote(pointer: str) -> str:
    from urllib.parse import unquote

    return unquote(pointer)


# -- the comparison ----------------------------------------------------------------------------
@dataclass(slots=True)
class _Op:
    method: str
    path: str
    op: JsonObject
    pointer: JsonPointer

    @property
    def item_pointer(self) -> JsonPointer:
        return self.pointer.rsplit("/", 1)[0]


@dataclass(slots=True)
class _Differ:
    old: Side
    new: Side
    changes: list[Change] = field(default_factory=list)
    _old_canon: _Canon | None = None
    _new_canon: _Canon | None = None

    # -- helpers ----------------------------------------------------------------------------
    def _loc(self, side: Side, pointer: JsonPointer | None) -> Location | None:
        return side.contract.location(pointer) if pointer is not None else None

    def add(
        self,
        rule: str,
        breaking: bool,
        side: str,
        operation: OperationKey | None,
        message: str,
        old_pointer: JsonPointer | None,
        new_pointer: JsonPointer | None,
        component: str | None = None,
        detail: str | None = None,
    ) -> None:
        self.changes.append(
            Change(
                rule=rule,
                breaking=breaking,
                side=side,
                operation=operation,
                message=message,
                old_location=self._loc(self.old, old_pointer),
                new_location=self._loc(self.new, new_pointer),
                component=component,
            )
        )
        if component is not None and operation is not None:
            # Once more for the component itself (deduplicated by the set in ``diff``).
            text = detail or (message.split(": ", 1)[1] if ": " in message else message)
            inner = _field_within(component, new_pointer or old_pointer or "")
            where = f"{component} `{inner}`" if inner else component
            self.changes.append(
                Change(
                    rule=rule,
                    breaking=breaking,
                    side=side,
                    operation=None,
                    message=f"{where}: {text}",
                    old_location=self._loc(self.old, old_pointer),
                    new_location=self._loc(self.new, new_pointer),
                    component=component,
                )
            )

    def _ops(self, side: Side) -> dict[tuple[str, str], _Op]:
        base = _base_path(side.contract)
        index: dict[tuple[str, str], _Op] = {}
        for method, path, op, pointer in side.contract.operations():
            index[(method, template_key(base + path))] = _Op(method, path, op, pointer)
        return index

    def _fingerprint(self, canon: _Canon, side: Side, op: _Op) -> str:
        item, _ = side.contract.resolve(
            resolve_pointer(side.contract.document, op.item_pointer), op.item_pointer
        )
        item_params = item.get("parameters") if isinstance(item, dict) else None
        security = op.op.get("security", side.contract.document.get("security"))
        schemes: dict[str, Any] = {}
        if isinstance(security, list):
            for requirement in security:
                if isinstance(requirement, dict):
                    for name in requirement:
                        schemes[str(name)] = _scheme(side, str(name))
        return canon.text(
            {"op": op.op, "item": item_params, "security": security, "schemes": schemes}
        )

    # -- operations -------------------------------------------------------------------------
    def run(self) -> None:
        old_ops, new_ops = self._ops(self.old), self._ops(self.new)
        self._old_canon, self._new_canon = _Canon(self.old.contract), _Canon(self.new.contract)
        for key, old_op in old_ops.items():
            name = f"{old_op.method} {old_op.path}"
            new_op = new_ops.get(key)
            if new_op is None:
                self.add(
                    "operation.missing",
                    True,
                    "request",
                    name,
                    f"{name}: the operation was removed; consumers that call it will fail.",
                    old_op.pointer,
                    "/paths",
                )
                continue
            if self._fingerprint(self._old_canon, self.old, old_op) == self._fingerprint(
                self._new_canon, self.new, new_op
            ):
                continue
            self._operation(old_op, new_op)
        for key, new_op in new_ops.items():
            if key not in old_ops:
                name = f"{new_op.method} {new_op.path}"
                self.add(
                    "operation.added",
                    False,
                    "request",
                    name,
                    f"{name}: new operation.",
                    "/paths",
                    new_op.pointer,
                )

    def _operation(self, old: _Op, new: _Op) -> None:
        key = f"{new.method} {new.path}"
        if new.op.get("deprecated") is True and old.op.get("deprecated") is not True:
            self.add(
                "operation.deprecated",
                False,
                "request",
                key,
                f"{key}: the operation is now deprecated; it still works.",
                old.pointer,
                join_pointer(new.pointer, "deprecated"),
            )
        self._parameters(key, old, new)
        self._body(key, old, new)
        self._responses(key, old, new)
        self._security(key, old, new)

    # -- parameters -------------------------------------------------------------------------
    def _parameters(self, key: str, old: _Op, new: _Op) -> None:
        import re

        old_params = parameters(self.old, old.item_pointer, old.pointer)
        new_params = parameters(self.new, new.item_pointer, new.pointer)
        names = re.compile(r"\{([^}]+)\}")
        rename = dict(zip(names.findall(old.path), names.findall(new.path), strict=False))
        by_key = {p.key: p for p in new_params}
        matched: set[tuple[str, str]] = set()
        for o in old_params:
            lookup = ("path", rename.get(o.name, o.name)) if o.location == "path" else o.key
            n = by_key.get(lookup)
            if n is None:
                if o.location != "path":
                    self.add(
                        "request.parameter.removed",
                        True,
                        "request",
                        key,
                        f"{key}: the {o.location} parameter `{o.name}` was removed; consumers "
                        "that send it lose what it did (it is ignored, or refused).",
                        o.pointer,
                        new.pointer,
                    )
                continue
            matched.add(n.key)
            self._parameter(key, o, n)
        for n in new_params:
            if n.key in matched:
                continue
            if n.required:
                self.add(
                    "request.parameter.required",
                    True,
                    "request",
                    key,
                    f"{key}: new required {n.location} parameter `{n.name}`; consumers that "
                    "do not send it will be refused.",
                    old.pointer,
                    n.pointer,
                )
            else:
                self.add(
                    "request.parameter.added",
                    False,
                    "request",
                    key,
                    f"{key}: new optional {n.location} parameter `{n.name}`.",
                    old.pointer,
                    n.pointer,
                )

    def _parameter(self, key: str, o: Parameter, n: Parameter) -> None:
        what = f"the {o.location} parameter `{n.name}`"
        if n.required and not o.required:
            self.add(
                "request.parameter.required",
                True,
                "request",
                key,
                f"{key}: {what} is now required; consumers that leave it out will be refused.",
                o.pointer,
                n.pointer,
            )
        elif o.required and not n.required and o.location != "path":
            self.add(
                "schema.relaxed",
                False,
                "request",
                key,
                f"{key}: {what} is now optional.",
                o.pointer,
                n.pointer,
            )
        if o.allow_empty and not n.allow_empty:
            self.add(
                "request.parameter.schema",
                True,
                "request",
                key,
                f"{key}: {what} no longer allows an empty value (allowEmptyValue); consumers "
                "that send `?{n.name}=` will be refused.",
                o.pointer,
                n.pointer,
            )
        elif n.allow_empty and not o.allow_empty:
            self.add(
                "schema.relaxed",
                False,
                "request",
                key,
                f"{key}: {what} now allows an empty value.",
                o.pointer,
                n.pointer,
            )
        if _style_differs(o, n):
            self.add(
                "request.parameter.style",
                True,
                "request",
                key,
                f"{key}: {what} is now serialised as style={n.style}, "
                f"explode={str(n.explode).lower()} (was style={o.style}, "
                f"explode={str(o.explode).lower()}); values arrive in a different wire format.",
                o.pointer,
                n.pointer,
            )
        if o.schema_pointer is not None and n.schema_pointer is not None:
            self._schemas(
                "request.parameter",
                key,
                what,
                o.schema_pointer,
                n.schema_pointer,
                name=n.name,
            )

    # -- request body -----------------------------------------------------------------------
    def _body_of(self, side: Side, op: _Op) -> tuple[JsonObject | None, JsonPointer]:
        pointer = join_pointer(op.pointer, "requestBody")
        if "requestBody" not in op.op:
            return None, op.pointer
        body, pointer = side.contract.resolve(op.op["requestBody"], pointer)
        return (body if isinstance(body, dict) else None), pointer

    def _body(self, key: str, old: _Op, new: _Op) -> None:
        o_body, o_ptr = self._body_of(self.old, old)
        n_body, n_ptr = self._body_of(self.new, new)
        n_required = n_body is not None and n_body.get("required") is True
        o_required = o_body is not None and o_body.get("required") is True
        if n_required and not o_required:
            how = "is now required" if o_body is not None else "is new and required"
            self.add(
                "request.body.absent",
                True,
                "request",
                key,
                f"{key}: the request body {how}; consumers that send none will be refused.",
                o_ptr,
                n_ptr,
            )
        if o_body is None and n_body is not None and not n_required:
            self.add(
                "request.body.added",
                False,
                "request",
                key,
                f"{key}: the operation now accepts an optional request body.",
                o_ptr,
                n_ptr,
            )
        if o_body is None or n_body is None:
            if o_body is not None:
                self.add(
                    "request.body.removed",
                    True,
                    "request",
                    key,
                    f"{key}: the request body was removed; consumers that send one lose what "
                    "it carried (it is ignored, or refused).",
                    o_ptr,
                    n_ptr,
                )
            return
        o_content = _mapping(o_body.get("content"))
        n_content = _mapping(n_body.get("content"))
        for media, o_media in o_content.items():
            accepted = best_match(media, list(n_content))
            o_media_ptr = join_pointer(o_ptr, "content", media)
            if accepted is None:
                offered = ", ".join(f"`{m}`" for m in n_content) or "nothing"
                self.add(
                    "request.body.media-type",
                    True,
                    "request",
                    key,
                    f"{key}: the request body is no longer accepted as `{media}` (now {offered}).",
                    o_media_ptr,
                    join_pointer(n_ptr, "content"),
                )
                continue
            n_media = n_content[accepted]
            if _has_schema(o_media) and _has_schema(n_media):
                self._schemas(
                    "request.body",
                    key,
                    "the request body",
                    join_pointer(o_media_ptr, "schema"),
                    join_pointer(n_ptr, "content", accepted, "schema"),
                )
        for media in n_content:
            if not any(best_match(m, [media]) for m in o_content):
                self.add(
                    "request.body.media-type-added",
                    False,
                    "request",
                    key,
                    f"{key}: the request body is now also accepted as `{media}`.",
                    join_pointer(o_ptr, "content"),
                    join_pointer(n_ptr, "content", media),
                )

    # -- responses --------------------------------------------------------------------------
    def _responses(self, key: str, old: _Op, new: _Op) -> None:
        o_resps = _responses(self.old, old.op, old.pointer)
        n_resps = _responses(self.new, new.op, new.pointer)
        for status, (n_resp, n_ptr) in n_resps.items():
            shown = status.lower() if status == "DEFAULT" else status
            if status == "DEFAULT":
                handler = "DEFAULT" if "DEFAULT" in o_resps else None
                if handler is None:
                    continue
            else:
                handler = _handler(status, o_resps)
            if handler is None:
                success = status.startswith("2")
                self.add(
                    "response.status.unhandled" if success else "response.status.unhandled-error",
                    success,
                    "response",
                    key,
                    f"{key}: may now answer {shown}"
                    + (
                        ", a success status consumers do not handle."
                        if success
                        else "; consumers without a handler for it will treat it as an error."
                    ),
                    join_pointer(old.pointer, "responses"),
                    n_ptr,
                )
                continue
            o_resp, o_ptr = o_resps[handler]
            self._content(key, shown, (o_resp, o_ptr), (n_resp, n_ptr))
            self._headers(key, shown, (o_resp, o_ptr), (n_resp, n_ptr))
        for status, (_, o_ptr) in o_resps.items():
            if status not in n_resps:
                shown = status.lower() if status == "DEFAULT" else status
                self.add(
                    "response.status.removed",
                    False,
                    "response",
                    key,
                    f"{key}: no longer answers {shown}.",
                    o_ptr,
                    join_pointer(new.pointer, "responses"),
                )

    def _content(
        self,
        key: str,
        status: str,
        old: tuple[JsonObject, JsonPointer],
        new: tuple[JsonObject, JsonPointer],
    ) -> None:
        (o_resp, o_ptr), (n_resp, n_ptr) = old, new
        o_content = _mapping(o_resp.get("content"))
        n_content = _mapping(n_resp.get("content"))
        if not o_content or not n_content:
            return  # consumers of OLD read no body here, or NEW sends none (as in ``check``)
        # Content negotiation, as in ``check``: a consumer asks (``Accept``) for the media types
        # it reads. One that reads only `m` from OLD breaks when NEW can no longer answer as
        # `m`; a type NEW adds is never chosen for consumers that do not ask for it.
        for media in o_content:
            if not any(best_match(m, [media]) for m in n_content):
                offered = ", ".join(f"`{m}`" for m in n_content)
                self.add(
                    "response.body.media-type",
                    True,
                    "response",
                    key,
                    f"{key}: the {status} response is no longer returned as `{media}` (now "
                    f"{offered}); consumers that read only `{media}` break.",
                    join_pointer(o_ptr, "content", media),
                    join_pointer(n_ptr, "content"),
                )
        for media, n_media in n_content.items():
            handler = best_match(media, list(o_content))
            n_media_ptr = join_pointer(n_ptr, "content", media)
            if handler is None:
                self.add(
                    "response.body.media-type-added",
                    False,
                    "response",
                    key,
                    f"{key}: the {status} response may now also be returned as `{media}` "
                    "(to consumers that ask for it).",
                    join_pointer(o_ptr, "content"),
                    n_media_ptr,
                )
                continue
            o_media = o_content[handler]
            if _has_schema(o_media) and _has_schema(n_media):
                self._schemas(
                    "response.body",
                    key,
                    f"the {status} response body",
                    join_pointer(o_ptr, "content", handler, "schema"),
                    join_pointer(n_media_ptr, "schema"),
                )

    def _headers(
        self,
        key: str,
        status: str,
        old: tuple[JsonObject, JsonPointer],
        new: tuple[JsonObject, JsonPointer],
    ) -> None:
        o_headers = _headers(self.old, *old)
        n_headers = _headers(self.new, *new)
        for name, (o_header, o_ptr) in o_headers.items():
            found = n_headers.get(name)
            if o_header.get("required") is True and (
                found is None or found[0].get("required") is not True
            ):
                how = "is no longer returned" if found is None else "is now optional"
                self.add(
                    "response.header.required",
                    True,
                    "response",
                    key,
                    f"{key}: the `{name}` header of the {status} response {how}; consumers "
                    "that rely on it will break.",
                    o_ptr,
                    found[1] if found else new[1],
                )
            if found is not None and "schema" in o_header and "schema" in found[0]:
                self._schemas(
                    "response.header",
                    key,
                    f"the `{name}` header of the {status} response",
                    join_pointer(o_ptr, "schema"),
                    join_pointer(found[1], "schema"),
                    name=name,
                )

    # -- security ---------------------------------------------------------------------------
    def _security(self, key: str, old: _Op, new: _Op) -> None:
        o_reqs, o_ptr = _requirements(self.old, old.op, old.pointer)
        n_reqs, n_ptr = _requirements(self.new, new.op, new.pointer)
        o_anonymous = not o_reqs or any(not r for r in o_reqs)
        n_anonymous = not n_reqs or any(not r for r in n_reqs)
        if n_anonymous:
            if not o_anonymous:
                self.add(
                    "security.relaxed",
                    False,
                    "request",
                    key,
                    f"{key}: no longer requires credentials.",
                    o_ptr,
                    n_ptr,
                )
            return
        alternatives = o_reqs if not o_anonymous else [{}]
        for requirement in alternatives:
            problem = self._unsatisfied(requirement, n_reqs)
            if problem is not None:
                rule, text = problem
                self.add(rule, True, "request", key, f"{key}: {text}", o_ptr, n_ptr)
        if len(n_reqs) > len(o_reqs) and not o_anonymous:
            self.add(
                "security.relaxed",
                False,
                "request",
                key,
                f"{key}: accepts more kinds of credentials than before.",
                o_ptr,
                n_ptr,
            )

    def _unsatisfied(
        self, requirement: dict[str, list[str]], n_reqs: list[dict[str, list[str]]]
    ) -> tuple[str, str] | None:
        """Why a consumer using ``requirement`` (accepted by OLD) is refused by NEW, or None."""
        used = {name: _scheme(self.old, name) for name in requirement}
        missing_scopes: list[str] | None = None
        changed: str | None = None
        for alternative in n_reqs:
            scopes: list[str] = []
            ok = True
            for name, needed in alternative.items():
                n_scheme = _scheme(self.new, name)
                matching = [
                    c
                    for c, c_scheme in used.items()
                    if _signature(c_scheme) == _signature(n_scheme)
                    and (not _flows(n_scheme) or _flows(c_scheme) & _flows(n_scheme))
                ]
                if not matching:
                    ok = False
                    break
                if name in used and _definition(used[name]) != _definition(n_scheme):
                    changed = name
                    ok = False
                    break
                held = set().union(*(requirement[c] for c in matching))
                scopes.extend(s for s in needed if s not in held)
            if ok and not scopes:
                return None
            if ok and missing_scopes is None:
                missing_scopes = scopes
        if missing_scopes is not None:
            shown = ", ".join(f"`{s}`" for s in missing_scopes)
            return "security.scope", f"now requires the OAuth2 scope(s) {shown}."
        if changed is not None:
            return (
                "security.scheme",
                f"the security scheme `{changed}` changed (its flows, URLs or format); "
                "consumers configured for the old one may be refused.",
            )
        offered = " or ".join(" + ".join(f"`{n}`" for n in alt) for alt in n_reqs)
        was = " + ".join(f"`{n}`" for n in requirement) or "no credentials"
        return (
            "security.scheme",
            f"consumers authenticating with {was} are no longer accepted (now {offered}).",
        )

    # -- schemas ----------------------------------------------------------------------------
    def _schemas(
        self,
        place: Place,
        key: str,
        part: str,
        old_schema: JsonPointer,
        new_schema: JsonPointer,
        *,
        name: str | None = None,
    ) -> None:
        assert self._old_canon is not None and self._new_canon is not None
        old_raw = resolve_pointer(self.old.contract.document, old_schema)
        new_raw = resolve_pointer(self.new.contract.document, new_schema)
        if self._old_canon.text(old_raw) == self._new_canon.text(new_raw):
            return
        request = place.startswith("request")
        direction: Literal["request", "response"] = "request" if request else "response"
        if request:
            producer, producer_ptr, acceptor, acceptor_ptr = (
                self.old,
                old_schema,
                self.new,
                new_schema,
            )
        else:
            producer, producer_ptr, acceptor, acceptor_ptr = (
                self.new,
                new_schema,
                self.old,
                old_schema,
            )
        p_tree = _producer_tree(producer, producer_ptr, direction).schema
        a_tree = _acceptor_tree(acceptor, acceptor_ptr, direction, reader=not request).schema
        issues, sure = compare(p_tree, a_tree)
        issues = [i for i in issues if not _universal_pattern(i)]
        for issue in _distinct(issues):
            self._issue(place, key, part, issue, old_schema, new_schema, breaking=True)
        if not sure:
            o_tree = _acceptor_tree(self.old, old_schema, direction, reader=False).schema
            n_tree = _acceptor_tree(self.new, new_schema, direction, reader=False).schema
            for issue, breaks in _distinct_pairs(_undecided(o_tree, n_tree, request=request)):
                self._issue(place, key, part, issue, old_schema, new_schema, breaking=breaks)
        if request:
            o_plain = _acceptor_tree(self.old, old_schema, direction, reader=False).schema
            n_plain = _acceptor_tree(self.new, new_schema, direction, reader=False).schema
            for at, prop in _removed_properties(o_plain, n_plain):
                o_ptr, o_comp = _descend(self.old.contract, old_schema, (*at, prop))
                n_ptr, n_comp = _descend(self.new.contract, new_schema, at)
                field = _field(at)
                where = f"`{field}` in {part}" if field else part
                self.add(
                    f"{place}.property-removed",
                    True,
                    "request",
                    key,
                    f"{key}: {where}: `{prop}` was removed; consumers that send it lose what "
                    "it did (it is ignored, or refused).",
                    o_ptr,
                    n_ptr,
                    component=o_comp or n_comp,
                )
        # The reverse question names what was relaxed (never breaking).
        if request:
            r_producer = _producer_tree(self.new, new_schema, direction).schema
            r_acceptor = closed(
                _acceptor_tree(self.old, old_schema, direction, reader=False).schema
            )
        else:
            r_producer = _producer_tree(self.old, old_schema, direction).schema
            r_acceptor = closed(
                _acceptor_tree(self.new, new_schema, direction, reader=False).schema
            )
        reverse, _ = compare(r_producer, r_acceptor)
        broken = {(i.path, i.constraint) for i in issues}
        for issue in _distinct(reverse):
            if (issue.path, issue.constraint) in broken:
                continue
            self._issue(place, key, part, issue, old_schema, new_schema, breaking=False)

    def _issue(
        self,
        place: Place,
        key: str,
        part: str,
        issue: Issue,
        old_schema: JsonPointer,
        new_schema: JsonPointer,
        *,
        breaking: bool,
    ) -> None:
        request = place.startswith("request")
        path = issue.path
        prop = issue.facts.get("name") or issue.omit or issue.include
        if issue.constraint == "false" and path:
            prop, path = str(path[-1]), path[:-1]
        o_ptr, o_comp = _descend(self.old.contract, old_schema, path)
        n_ptr, n_comp = _descend(self.new.contract, new_schema, path)
        component = n_comp or o_comp
        if prop is not None and issue.constraint in ("required", "additional-properties", "false"):
            o_ptr, _ = _descend(self.old.contract, old_schema, (*path, prop))
            n_ptr, _ = _descend(self.new.contract, new_schema, (*path, prop))
        constraint = issue.constraint
        if constraint == "false":
            constraint = "additional-properties"
        rule = f"{place}.{constraint}" if breaking else "schema.relaxed"
        field = _field(path)
        where = f"`{field}` in {part}" if field else part
        text = _describe(constraint, issue, request=request, breaking=breaking, prop=prop)
        self.add(
            rule,
            breaking,
            "request" if request else "response",
            key,
            f"{key}: {where}: {text}",
            o_ptr,
            n_ptr,
            component=component,
            detail=text,
        )


# -- small helpers -----------------------------------------------------------------------------
def _mapping(value: JsonValue) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _headers(
    side: Side, resp: JsonObject, pointer: JsonPointer
) -> dict[str, tuple[JsonObject, JsonPointer]]:
    out: dict[str, tuple[JsonObject, JsonPointer]] = {}
    for name, header in _mapping(resp.get("headers")).items():
        ptr = join_pointer(pointer, "headers", name)
        resolved, ptr = side.contract.resolve(header, ptr)
        if isinstance(resolved, dict):
            out[str(name).lower()] = (resolved, ptr)
    return out


def _definition(scheme: JsonObject | None) -> str:
    if scheme is None:
        return ""
    kept = {k: v for k, v in scheme.items() if k not in _DOC_KEYS and not k.startswith("x-")}
    flows = kept.get("flows")
    if isinstance(flows, dict):
        # Scopes are compared per requirement; a new scope in the catalogue is not a change.
        kept["flows"] = {
            name: {k: v for k, v in flow.items() if k != "scopes"}
            for name, flow in flows.items()
            if isinstance(flow, dict)
        }
    return json.dumps(kept, sort_keys=True, default=str)


def _distinct(issues: list[Issue]) -> Iterator[Issue]:
    seen: set[tuple[Any, ...]] = set()
    for issue in issues:
        key = (
            issue.constraint,
            issue.path,
            issue.omit,
            issue.include,
            str(issue.facts.get("name")),
        )
        if key not in seen:
            seen.add(key)
            yield issue


_UNIVERSAL_PATTERNS = frozenset({"", ".*", "^.*$", "^.*", ".*$", "(.*)", "^(.*)$"})


def _universal_pattern(issue: Issue) -> bool:
    """A pattern every string matches is no constraint (``compare`` flags any pattern change)."""
    return issue.constraint == "pattern" and issue.facts.get("pattern") in _UNIVERSAL_PATTERNS


def _covered(
    old: dict[str, Any],
    new: dict[str, Any],
    o_list: list[Any],
    n_list: list[Any],
    *,
    keyword: str,
    request: bool,
) -> bool:
    """Whether a ``oneOf``/``anyOf`` that appeared (or went) keeps every value the producing
    side may produce acceptable: e.g. a schema wrapped in ``oneOf: [itself, null]``."""

    def within(producer: JsonValue, acceptor: JsonValue) -> bool:
        acceptor = acceptor if request else opened(acceptor)
        issues, sure = compare(closed(producer), acceptor)
        return not issues and sure

    def rest(node: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in node.items() if k not in _SUB_LISTS}

    def joined(node: dict[str, Any], member: JsonValue) -> JsonValue:
        return merge_all_of({"allOf": [rest(node), member]})

    if n_list and not o_list:
        if request:  # everything OLD accepted must match exactly one (oneOf) / one (anyOf)
            hits = sum(1 for m in n_list if within(rest(old), joined(new, m)))
            return hits == 1 or (hits > 1 and keyword == "anyOf")
        return all(within(joined(new, m), old) for m in n_list)
    if o_list and not n_list:
        if request:
            return all(within(joined(old, m), new) for m in o_list)
        return any(within(rest(new), joined(old, m)) for m in o_list)
    return False


def _removed_properties(
    old: JsonValue, new: JsonValue, path: tuple[Any, ...] = (), depth: int = 0
) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(object path, property) for each property OLD declares that NEW no longer does, where
    NEW still accepts undeclared properties (otherwise ``compare`` reports a breaking change).
    Properties declared in ``allOf``/``anyOf``/``oneOf`` members count as declared, so wrapping
    a schema in ``oneOf: [null, ...]`` removes nothing."""
    if depth > 32 or not (isinstance(old, dict) and isinstance(new, dict)):
        return
    o_props, n_props = _declared(old), _declared(new)
    if new.get("additionalProperties") is not False:
        for name, sub in o_props.items():
            if name not in n_props and sub is not False:
                yield path, name
    for name in sorted(set(o_props) & set(n_props)):
        yield from _removed_properties(o_props[name], n_props[name], (*path, name), depth + 1)
    o_items, n_items = _items(old), _items(new)
    if o_items is not None and n_items is not None:
        yield from _removed_properties(o_items, n_items, (*path, 0), depth + 1)
    # Properties declared in other sub-schemas a consumer's value passes through: conditional
    # branches and dependent schemas (the same object), array and map members.
    for keyword, at in (
        ("then", path),
        ("else", path),
        ("contains", (*path, 0)),
        ("additionalProperties", (*path, "*")),
        ("unevaluatedProperties", (*path, "*")),
    ):
        yield from _removed_properties(old.get(keyword), new.get(keyword), at, depth + 1)
    for keyword, at in (("dependentSchemas", path), ("patternProperties", (*path, "*"))):
        o_map, n_map = _mapping(old.get(keyword)), _mapping(new.get(keyword))
        for name in sorted(set(o_map) & set(n_map)):
            yield from _removed_properties(o_map[name], n_map[name], at, depth + 1)
    o_prefix, n_prefix = old.get("prefixItems"), new.get("prefixItems")
    if isinstance(o_prefix, list) and isinstance(n_prefix, list):
        for o_item, n_item in zip(o_prefix, n_prefix, strict=False):
            yield from _removed_properties(o_item, n_item, (*path, 0), depth + 1)


def _members(node: dict[str, Any], depth: int = 0) -> Iterator[dict[str, Any]]:
    """``node`` and, recursively, the members of its ``allOf``/``anyOf``/``oneOf``."""
    yield node
    if depth > 8:
        return
    for keyword in _SUB_LISTS[:3]:
        members = node.get(keyword)
        if isinstance(members, list):
            for member in members:
                if isinstance(member, dict):
                    yield from _members(member, depth + 1)


def _declared(node: dict[str, Any]) -> dict[str, Any]:
    """Every property ``node`` declares, its combinator members' included (first one wins)."""
    out: dict[str, Any] = {}
    for member in _members(node):
        for name, sub in _mapping(member.get("properties")).items():
            out.setdefault(name, sub)
    return out


def _items(node: dict[str, Any]) -> dict[str, Any] | None:
    for member in _members(node):
        items = member.get("items")
        if isinstance(items, dict):
            return items
    return None


def _distinct_pairs(pairs: list[tuple[Issue, bool]]) -> Iterator[tuple[Issue, bool]]:
    seen: set[tuple[Any, ...]] = set()
    for issue, breaking in pairs:
        key = (issue.constraint, issue.path, issue.omit, issue.include, str(issue.facts), breaking)
        if key not in seen:
            seen.add(key)
            yield issue, breaking


def _field_within(component: str, pointer: JsonPointer) -> str:
    """``a.b[]`` for a pointer inside ``component`` (``#/components/schemas/X``)."""
    base = component[1:]
    if not pointer.startswith(base + "/"):
        return ""
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer[len(base) + 1 :].split("/")]
    parts: list[str | int] = []
    for index, token in enumerate(tokens):
        previous = tokens[index - 1] if index else ""
        if previous == "properties":
            parts.append(token)
        elif token == "items":
            parts.append(0)
    return _field(tuple(parts))


def _field(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += "[]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def _descend(
    contract: LoadedContract, pointer: JsonPointer, path: tuple[Any, ...]
) -> tuple[JsonPointer, str | None]:
    """The pointer of the subschema at instance ``path`` under the schema at ``pointer``, and
    the innermost named component (``#/components/schemas/X``) it lies in."""
    component: str | None = None

    def resolve(node: Any, ptr: JsonPointer) -> tuple[Any, JsonPointer]:
        nonlocal component
        for _ in range(64):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#")):
                break
            ptr = _unquote(ref[1:])
            try:
                node = resolve_pointer(contract.document, ptr)
            except KeyError:
                break
            if ptr.startswith("/components/schemas/") or ptr.startswith("/x-interop-bundled/"):
                component = "#" + ptr
        return node, ptr

    try:
        node = resolve_pointer(contract.document, pointer)
    except KeyError:
        return pointer, None
    node, pointer = resolve(node, pointer)
    for part in path:
        found: tuple[Any, JsonPointer] | None = None
        queue = [(node, pointer)]
        seen = 0
        while queue and found is None and seen < 64:
            seen += 1
            current, ptr = queue.pop(0)
            current, ptr = resolve(current, ptr)
            if not isinstance(current, dict):
                continue
            if isinstance(part, int):
                if isinstance(current.get("items"), dict):
                    found = (current["items"], join_pointer(ptr, "items"))
            else:
                props = current.get("properties")
                if isinstance(props, dict) and part in props:
                    found = (props[part], join_pointer(ptr, "properties", part))
            for keyword in ("allOf", "oneOf", "anyOf"):
                members = current.get(keyword)
                if isinstance(members, list):
                    queue.extend((m, join_pointer(ptr, keyword, i)) for i, m in enumerate(members))
        if found is None:
            break
        node, pointer = found
        if isinstance(node, dict) and set(node) - {"$ref"} == set():
            node, pointer = resolve(node, pointer)
    return pointer, component


_SUB_SCHEMA = (
    "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems",
    "unevaluatedProperties", "additionalProperties", "items",
)  # fmt: skip
_SUB_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUB_MAPS = ("properties", "patternProperties", "dependentSchemas")


def _undecided(
    old: JsonValue, new: JsonValue, *, request: bool, path: tuple[Any, ...] = (), depth: int = 0
) -> list[tuple[Issue, bool]]:
    """Where ``compare`` could not decide (combinators, conditionals, 2020-12 applicators):
    walk OLD and NEW side by side, compare the sub-schemas it can, and classify keywords that
    appear or disappear. Returns (issue, breaking): an assertion added in a request, or taken
    away from a response, may break a consumer; one that changed in place is assumed to."""
    out: list[tuple[Issue, bool]] = []
    if depth > 32 or not (isinstance(old, dict) and isinstance(new, dict)):
        return out

    def note(keyword: str, kind: str, breaking: bool) -> None:
        constraint = (
            "combinator" if keyword in ("allOf", "anyOf", "oneOf", "not", "if") else "schema"
        )
        issue = Issue(constraint, path, facts={"keyword": keyword, "kind": kind})
        out.append((issue, breaking))

    def tighter(keyword: str) -> None:  # NEW asserts more
        note(keyword, "added", request)

    def looser(keyword: str) -> None:  # NEW asserts less
        note(keyword, "removed", not request)

    def deeper(
        o: JsonValue, n: JsonValue, *, flip: bool = False, at: tuple[Any, ...] = path
    ) -> None:
        req = request != flip
        if isinstance(o, dict) and isinstance(n, dict):
            producer, acceptor = (o, n) if req else (n, o)
            issues, _ = compare(closed(producer), acceptor if req else opened(acceptor), at)
            out.extend((issue, True) for issue in issues)
        out.extend(_undecided(o, n, request=req, path=at, depth=depth + 1))

    for keyword in _SUB_SCHEMA:
        o, n = old.get(keyword), new.get(keyword)
        if o is None and n is None:
            continue
        if keyword == "additionalProperties" and not (isinstance(o, dict) and isinstance(n, dict)):
            continue  # closed/open objects: ``compare`` judges those
        if o is None:
            tighter(keyword)
        elif n is None:
            looser(keyword)
        elif keyword == "if":
            if json.dumps(o, sort_keys=True) != json.dumps(n, sort_keys=True):
                note(keyword, "changed", True)
        else:
            at = (*path, 0) if keyword == "items" else path
            deeper(o, n, flip=keyword == "not", at=at)
    for keyword in _SUB_LISTS:
        o_raw, n_raw = old.get(keyword), new.get(keyword)
        o_list: list[Any] = o_raw if isinstance(o_raw, list) else []
        n_list: list[Any] = n_raw if isinstance(n_raw, list) else []
        if len(o_list) == len(n_list):
            for o, n in zip(o_list, n_list, strict=True):
                deeper(o, n)
        elif keyword == "prefixItems":
            note(keyword, "changed", True)
        elif not o_list or not n_list:
            if keyword == "allOf":
                (tighter if n_list else looser)(keyword)
            elif not _covered(old, new, o_list, n_list, keyword=keyword, request=request):
                note(keyword, "added" if n_list else "removed", True)
        elif (len(n_list) > len(o_list)) == (keyword == "allOf"):
            note(keyword, "fewer" if keyword != "allOf" else "more", request)
        else:
            note(keyword, "more" if keyword != "allOf" else "fewer", not request)
    for keyword in _SUB_MAPS:
        o_map, n_map = _mapping(old.get(keyword)), _mapping(new.get(keyword))
        for name in sorted(set(o_map) | set(n_map)):
            if name in o_map and name in n_map:
                at = (*path, name) if keyword == "properties" else path
                if keyword == "properties":
                    out.extend(
                        _undecided(
                            o_map[name], n_map[name], request=request, path=at, depth=depth + 1
                        )
                    )
                else:
                    deeper(o_map[name], n_map[name], at=at)
            elif keyword != "properties":
                (tighter if name in n_map else looser)(keyword)
    o_disc, n_disc = _mapping(old.get("discriminator")), _mapping(new.get("discriminator"))
    if o_disc and n_disc and o_disc.get("propertyName") != n_disc.get("propertyName"):
        # Consumers and providers dispatch polymorphic payloads on this property.
        out.append(
            (
                Issue("discriminator", path, facts={"keyword": "discriminator", "kind": "changed"}),
                True,
            )
        )
    o_dep, n_dep = _mapping(old.get("dependentRequired")), _mapping(new.get("dependentRequired"))
    if o_dep != n_dep:
        wider = set(o_dep) <= set(n_dep) and all(
            set(o_dep.get(k, [])) <= set(v) for k, v in n_dep.items()
        )
        narrower = set(n_dep) <= set(o_dep) and all(
            set(n_dep.get(k, [])) <= set(v) for k, v in o_dep.items()
        )
        if wider:
            tighter("dependentRequired")
        elif narrower:
            looser("dependentRequired")
        else:
            note("dependentRequired", "changed", True)
    for keyword, more_is_tighter in (("minContains", True), ("maxContains", False)):
        o_num, n_num = old.get(keyword), new.get(keyword)
        if o_num != n_num:
            if o_num is None or n_num is None:
                (tighter if o_num is None else looser)(keyword)
            elif (n_num > o_num) == more_is_tighter:
                tighter(keyword)
            else:
                looser(keyword)
    return out


def _show(value: JsonValue) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _values(values: JsonValue) -> str:
    if isinstance(values, list):
        shown = ", ".join(_show(v) for v in values[:8])
        return shown + (", ..." if len(values) > 8 else "")
    return _show(values)


def _describe(
    constraint: str, issue: Issue, *, request: bool, breaking: bool, prop: str | None
) -> str:
    """A plain-English account of one constraint change, from the consumers' side."""
    facts = issue.facts
    if "kind" in facts:
        keyword, kind = facts.get("keyword"), facts.get("kind")
        verb = {
            "added": "was added",
            "removed": "was removed",
            "changed": "changed",
            "more": "has more members",
            "fewer": "has fewer members",
        }[str(kind)]
        if not breaking:
            return f"`{keyword}` {verb}; consumers are unaffected."
        if request:
            return (
                f"`{keyword}` {verb}, so the new version may refuse values the old one "
                "accepted (interop cannot prove otherwise)."
            )
        return (
            f"`{keyword}` {verb}, so the new version may return values the old one never did "
            "(interop cannot prove otherwise)."
        )
    # Which comparison produced the issue decides which side ``limit`` and ``producer`` are.
    old_is_producer = request == breaking
    limit, mine = facts.get("limit"), facts.get("producer")
    old_value, new_value = (mine, limit) if old_is_producer else (limit, mine)
    if not breaking:
        return _describe_relaxed(constraint, facts, request=request, prop=prop, new=new_value)
    bound = {
        "max-length": "maxLength",
        "min-length": "minLength",
        "maximum": "maximum",
        "minimum": "minimum",
        "max-items": "maxItems",
        "min-items": "minItems",
        "multiple-of": "multipleOf",
        "max-properties": "maxProperties",
        "min-properties": "minProperties",
    }.get(constraint)
    if bound is not None and "value" in facts:
        if request:
            return f"no longer accepts {_show(facts['value'])} (its {bound} changed)."
        return f"may now be {_show(facts['value'])}, beyond the old {bound}."
    if bound is not None:
        was = "none" if old_value is None else _show(old_value)
        now = "none" if new_value is None else _show(new_value)
        if request:
            return (
                f"{bound} tightened (was {was}, now {now}); values consumers could send "
                "before are now refused."
            )
        return (
            f"{bound} loosened (was {was}, now {now}); consumers may receive values they never saw."
        )
    if request:
        return {
            "type": f"now accepts only {_values(facts.get('accepted'))}; the old version also "
            f"accepted {facts.get('produced')}.",
            "nullable": "no longer accepts null.",
            "enum": (
                f"no longer accepts {_show(facts['value'])}."
                if "value" in facts
                else f"now accepts only {_values(facts.get('accepted'))}; a value the old "
                "version accepted is now refused."
            ),
            "const": f"now accepts only {_values(facts.get('accepted'))}.",
            "pattern": f"must now match the pattern `{facts.get('pattern')}` (was "
            f"{('`' + str(facts['producer']) + '`') if facts.get('producer') else 'none'}).",
            "format": f"must now be in {facts.get('format')} format.",
            "required": f"`{prop}` is now required; consumers that leave it out are refused.",
            "additional-properties": f"`{prop}` is no longer accepted.",
            "read-only": f"`{prop}` is now read-only and may not be sent.",
            "unique-items": "items must now be unique.",
            "combinator": f"fewer alternatives are accepted ({facts.get('keyword')}).",
        }.get(constraint, "the new version refuses some values the old one accepted.")
    return {
        "type": f"may now be {facts.get('produced')}; it was always "
        f"{_values(facts.get('accepted'))}.",
        "nullable": "may now be null.",
        "enum": (
            f"may now be {_show(facts['value'])}, outside the old enum."
            if "value" in facts
            else f"may now hold values outside the old enum ({_values(facts.get('accepted'))})."
        ),
        "const": f"may now differ from {_values(facts.get('accepted'))}.",
        "pattern": f"may no longer match the old pattern `{facts.get('pattern')}`.",
        "format": f"may no longer be in {facts.get('format')} format.",
        "required": (
            f"`{prop}` is no longer returned."
            if facts.get("never")
            else f"`{prop}` may now be missing (it was always returned)."
        ),
        "additional-properties": f"`{prop}` may now be returned where it was not allowed.",
        "write-only": f"`{prop}` is now write-only and no longer returned.",
        "unique-items": "items may now repeat.",
        "combinator": f"may now take more shapes than before ({facts.get('keyword')}).",
    }.get(constraint, "the new version may return values the old one never did.")


def _describe_relaxed(
    constraint: str, facts: dict[str, Any], *, request: bool, prop: str | None, new: Any
) -> str:
    if request:
        return {
            "required": f"`{prop}` is no longer required.",
            "additional-properties": f"new optional property `{prop}`.",
            "enum": "accepts more values than before.",
            "type": "accepts more types than before.",
            "nullable": "now accepts null.",
        }.get(constraint, f"relaxed ({constraint}).")
    return {
        "required": f"`{prop}` is now always returned.",
        "additional-properties": f"new property `{prop}`.",
        "enum": "returns fewer values than before.",
        "type": "returns fewer types than before.",
        "nullable": "is no longer null.",
    }.get(constraint, f"narrowed ({constraint}); consumers are unaffected.")


def _has_schema(media: Any) -> bool:
    """A Media Type Object that declares a schema."""
    return isinstance(media, dict) and "schema" in media
