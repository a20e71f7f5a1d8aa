"""Reading a ``LoadedContract`` into its :class:`ContractModel`, once.

The one place that decides what an operation, a parameter, a response, a server or a security
requirement is. Reads are tolerant: what is malformed is skipped here and reported by
``validation``/``lint``, which walk the raw document because they must see invalid input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import UnresolvableRef
from ..loading import LoadedContract, join_pointer, resolve_pointer
from ..results import Location
from ..types import JsonObject, JsonPointer
from .model import (
    Callback,
    ContractModel,
    Header,
    Link,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Security,
    SecurityRequirement,
    SecurityScheme,
    Server,
    ServerVariable,
    Webhook,
)
from .paths import template_key

__all__ = ["METHODS", "base_path_of", "contract_model"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The HTTP methods a path item may hold, in the order operations are listed."""

_DEFAULT_STYLE = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}


def contract_model(contract: LoadedContract) -> ContractModel:
    """The model of ``contract``, built on first use and kept on the contract."""
    cached = contract.model_cache
    if isinstance(cached, ContractModel):
        return cached
    model = _Reader(contract).model()
    contract.model_cache = model
    return model


def base_path_of(servers: Any) -> str:
    """The base path a ``servers`` list gives: the path of the first URL, variables at their
    defaults (else their first enum value), no trailing slash; ``""`` for none."""
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    return _server(servers[0], "/servers/0", _no_location).path


def _no_location(pointer: JsonPointer) -> Location:
    return Location(file="", pointer=pointer, line=None)


def _server(
    raw: JsonObject, pointer: JsonPointer, locate: Callable[[JsonPointer], Location]
) -> Server:
    url = str(raw.get("url", ""))
    variables: list[ServerVariable] = []
    raw_variables = raw.get("variables")
    if isinstance(raw_variables, dict):
        for name, spec in raw_variables.items():
            spec = spec if isinstance(spec, dict) else {}
            default = spec.get("default")
            enum = spec.get("enum")
            variables.append(
                ServerVariable(
                    pointer=join_pointer(pointer, "variables", str(name)),
                    _locate=locate,
                    name=str(name),
                    default=None if default is None else str(default),
                    enum=tuple(str(v) for v in enum) if isinstance(enum, list) else (),
                )
            )
    resolved = url
    for variable in variables:
        if variable.value is not None:
            resolved = resolved.replace("{" + variable.name + "}", variable.value)
    absolute = "://" in resolved or resolved.startswith("//")
    if absolute:
        path = urlsplit(resolved if "://" in resolved else "http:" + resolved).path
        # urlsplit reads a host like `{region}.example.com` fine, but not a `{var}` in the path
        # that it decoded: keep the text as written.
        path = unquote(path)
    else:
        path = resolved if resolved.startswith("/") or not resolved else "/" + resolved
    return Server(
        pointer=pointer,
        _locate=locate,
        url=url,
        resolved_url=resolved,
        path=path.rstrip("/"),
        absolute=absolute,
        variables=tuple(variables),
    )


class _Reader:
    def __init__(self, contract: LoadedContract) -> None:
        self.contract = contract
        self.document = contract.document
        self.locate = contract.location
        self.schemes = self._security_schemes()
        self.document_security = self._security(self.document.get("security"), "/security")

    # -- whole document -------------------------------------------------------------------

    def model(self) -> ContractModel:
        servers = self._servers(self.document.get("servers"), "/servers")
        operations: list[Operation] = []
        paths = self.document.get("paths")
        if isinstance(paths, dict):
            for path, raw_item in paths.items():
                operations.extend(
                    self._path_item(str(path), raw_item, join_pointer("/paths", str(path)), True)
                )
        by_route: dict[tuple[str, str], list[Operation]] = {}
        for operation in operations:
            by_route.setdefault((operation.method, operation.route), []).append(operation)
        webhooks: list[Webhook] = []
        raw_webhooks = self.document.get("webhooks")
        if isinstance(raw_webhooks, dict):
            for name, raw_item in raw_webhooks.items():
                pointer = join_pointer("/webhooks", str(name))
                webhooks.append(
                    Webhook(
                        pointer=pointer,
                        _locate=self.locate,
                        name=str(name),
                        operations=tuple(self._path_item(str(name), raw_item, pointer, False)),
                    )
                )
        return ContractModel(
            pointer="",
            _locate=self.locate,
            file=self.contract.file,
            openapi_version=self.contract.openapi_version,
            title=self.contract.title,
            version=self.contract.version,
            servers=servers,
            operations=tuple(operations),
            webhooks=tuple(webhooks),
            security=self.document_security,
            security_schemes=self.schemes,
            _by_route={key: tuple(ops) for key, ops in by_route.items()},
        )

    def _servers(self, raw: Any, pointer: JsonPointer) -> tuple[Server, ...]:
        if not isinstance(raw, list):
            return ()
        return tuple(
            _server(item, join_pointer(pointer, index), self.locate)
            for index, item in enumerate(raw)
            if isinstance(item, dict)
        )

    def _resolve(self, value: Any, pointer: JsonPointer) -> tuple[Any, JsonPointer]:
        try:
            return self.contract.resolve(value, pointer)
        except UnresolvableRef:
            return None, pointer

    # -- operations -----------------------------------------------------------------------

    def _path_item(
        self, path: str, raw_item: Any, item_pointer: JsonPointer, addressed: bool
    ) -> list[Operation]:
        """The operations of one path item; ``addressed`` when it is under the servers (a
        ``paths`` entry, not a webhook or callback)."""
        item, item_pointer = self._resolve(raw_item, item_pointer)
        if not isinstance(item, dict):
            return []
        item_parameters = self._parameters(item.get("parameters"), item_pointer)
        out = []
        for method in METHODS:
            raw_op = item.get(method)
            if not isinstance(raw_op, dict):
                continue
            pointer = join_pointer(item_pointer, method)
            out.append(
                self._operation(
                    method, path, raw_op, pointer, item, item_pointer, item_parameters, addressed
                )
            )
        return out

    def _operation(
        self,
        method: str,
        path: str,
        raw: JsonObject,
        pointer: JsonPointer,
        item: JsonObject,
        item_pointer: JsonPointer,
        item_parameters: dict[tuple[str, str], Parameter],
        addressed: bool,
    ) -> Operation:
        parameters = dict(item_parameters)
        parameters.update(self._parameters(raw.get("parameters"), pointer))
        operation_id = raw.get("operationId")
        summary = raw.get("summary")
        tags = raw.get("tags")
        if isinstance(raw.get("security"), list):
            security = self._security(raw["security"], join_pointer(pointer, "security"))
        elif self.document_security.declared_on == "document":
            security = self.document_security
        else:
            security = Security(pointer=pointer, _locate=self.locate, declared_on="none")
        return Operation(
            pointer=pointer,
            _locate=self.locate,
            method=method.upper(),
            path=path,
            path_item_pointer=item_pointer,
            route=template_key(path) if addressed else "",
            operation_id=operation_id if isinstance(operation_id, str) else None,
            summary=summary if isinstance(summary, str) else None,
            deprecated=raw.get("deprecated") is True,
            tags=tuple(str(t) for t in tags) if isinstance(tags, list) else (),
            parameters=tuple(parameters.values()),
            request_body=self._request_body(raw.get("requestBody"), pointer),
            responses=self._responses(raw.get("responses"), pointer),
            security=security,
            callbacks=self._callbacks(raw.get("callbacks"), pointer),
            raw=raw,
            path_item_raw=item,
        )

    def _parameters(self, raw: Any, holder: JsonPointer) -> dict[tuple[str, str], Parameter]:
        found: dict[tuple[str, str], Parameter] = {}
        if not isinstance(raw, list):
            return found
        for index, raw_param in enumerate(raw):
            param, pointer = self._resolve(raw_param, join_pointer(holder, "parameters", index))
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                continue
            parameter = self._parameter(param, pointer)
            found[parameter.key] = parameter
        return found

    def _parameter(self, raw: JsonObject, pointer: JsonPointer) -> Parameter:
        location = str(raw["in"])
        schema_pointer: JsonPointer | None = None
        content_media_type: str | None = None
        if "schema" in raw:
            schema_pointer = join_pointer(pointer, "schema")
        elif isinstance(raw.get("content"), dict) and raw["content"]:
            media = str(next(iter(raw["content"])))
            content_media_type = media.lower()
            if isinstance(raw["content"][media], dict) and "schema" in raw["content"][media]:
                schema_pointer = join_pointer(pointer, "content", media, "schema")
        schema = self._schema(schema_pointer)
        kind = schema.get("type") if isinstance(schema, dict) else None
        style = str(raw.get("style", _DEFAULT_STYLE.get(location, "form")))
        return Parameter(
            pointer=pointer,
            _locate=self.locate,
            name=str(raw["name"]),
            location=location,
            required=bool(raw.get("required", False)) or location == "path",
            style=style,
            explode=bool(raw.get("explode", style == "form")),
            allow_reserved=raw.get("allowReserved") is True,
            allow_empty=location == "query" and raw.get("allowEmptyValue") is True,
            deprecated=raw.get("deprecated") is True,
            schema_pointer=schema_pointer,
            schema=schema,
            content_media_type=content_media_type,
            kind=kind if isinstance(kind, str) else None,
            raw=raw,
        )

    def _schema(self, pointer: JsonPointer | None) -> Any:
        if pointer is None:
            return None
        try:
            raw = resolve_pointer(self.document, pointer)
        except KeyError:
            return None
        schema, _ = self._resolve(raw, pointer)
        return schema

    def _content(self, raw: Any, pointer: JsonPointer) -> tuple[MediaType, ...]:
        if not isinstance(raw, dict):
            return ()
        out = []
        for media_type, media in raw.items():
            media_pointer = join_pointer(pointer, "content", str(media_type))
            media, media_pointer = self._resolve(media, media_pointer)
            media = media if isinstance(media, dict) else {}
            schema_pointer = join_pointer(media_pointer, "schema") if "schema" in media else None
            out.append(
                MediaType(
                    pointer=media_pointer,
                    _locate=self.locate,
                    media_type=str(media_type).lower(),
                    as_written=str(media_type),
                    schema_pointer=schema_pointer,
                    schema=self._schema(schema_pointer),
                    has_example="example" in media or bool(media.get("examples")),
                    raw=media,
                )
            )
        return tuple(out)

    def _request_body(self, raw: Any, operation: JsonPointer) -> RequestBody | None:
        if raw is None:
            return None
        body, pointer = self._resolve(raw, join_pointer(operation, "requestBody"))
        if not isinstance(body, dict):
            return None
        return RequestBody(
            pointer=pointer,
            _locate=self.locate,
            required=body.get("required") is True,
            content=self._content(body.get("content"), pointer),
        )

    def _responses(self, raw: Any, operation: JsonPointer) -> tuple[Response, ...]:
        if not isinstance(raw, dict):
            return ()
        out = []
        for status, raw_response in raw.items():
            response, pointer = self._resolve(
                raw_response, join_pointer(operation, "responses", str(status))
            )
            if not isinstance(response, dict):
                continue
            description = response.get("description")
            out.append(
                Response(
                    pointer=pointer,
                    _locate=self.locate,
                    status=str(status),
                    description=description if isinstance(description, str) else "",
                    content=self._content(response.get("content"), pointer),
                    headers=self._headers(response.get("headers"), pointer),
                    links=self._links(response.get("links"), pointer),
                    raw=response,
                )
            )
        return tuple(out)

    def _headers(self, raw: Any, response: JsonPointer) -> tuple[Header, ...]:
        if not isinstance(raw, dict):
            return ()
        out = []
        for name, raw_header in raw.items():
            header, pointer = self._resolve(raw_header, join_pointer(response, "headers", name))
            if not isinstance(header, dict):
                continue
            schema_pointer: JsonPointer | None = None
            content_media_type: str | None = None
            if "schema" in header:
                schema_pointer = join_pointer(pointer, "schema")
            elif isinstance(header.get("content"), dict) and header["content"]:
                media = str(next(iter(header["content"])))
                content_media_type = media.lower()
                if (
                    isinstance(header["content"][media], dict)
                    and "schema" in header["content"][media]
                ):
                    schema_pointer = join_pointer(pointer, "content", media, "schema")
            out.append(
                Header(
                    pointer=pointer,
                    _locate=self.locate,
                    name=str(name),
                    required=header.get("required") is True,
                    schema_pointer=schema_pointer,
                    schema=self._schema(schema_pointer),
                    content_media_type=content_media_type,
                    deprecated=header.get("deprecated") is True,
                    raw=header,
                )
            )
        return tuple(out)

    def _links(self, raw: Any, response: JsonPointer) -> tuple[Link, ...]:
        if not isinstance(raw, dict):
            return ()
        out = []
        for name, raw_link in raw.items():
            link, pointer = self._resolve(raw_link, join_pointer(response, "links", str(name)))
            if not isinstance(link, dict):
                continue
            parameters = link.get("parameters")
            operation_id = link.get("operationId")
            operation_ref = link.get("operationRef")
            out.append(
                Link(
                    pointer=pointer,
                    _locate=self.locate,
                    name=str(name),
                    operation_id=operation_id if isinstance(operation_id, str) else None,
                    operation_ref=operation_ref if isinstance(operation_ref, str) else None,
                    parameters=tuple((str(k), v) for k, v in parameters.items())
                    if isinstance(parameters, dict)
                    else (),
                    request_body=link.get("requestBody"),
                    raw=link,
                )
            )
        return tuple(out)

    def _callbacks(self, raw: Any, operation: JsonPointer) -> tuple[Callback, ...]:
        if not isinstance(raw, dict):
            return ()
        out = []
        for name, raw_callback in raw.items():
            callback, pointer = self._resolve(
                raw_callback, join_pointer(operation, "callbacks", str(name))
            )
            if not isinstance(callback, dict):
                continue
            for expression, raw_item in callback.items():
                item_pointer = join_pointer(pointer, str(expression))
                out.append(
                    Callback(
                        pointer=item_pointer,
                        _locate=self.locate,
                        name=str(name),
                        expression=str(expression),
                        operations=tuple(
                            self._path_item(str(expression), raw_item, item_pointer, False)
                        ),
                    )
                )
        return tuple(out)

    # -- security -------------------------------------------------------------------------

    def _security(self, raw: Any, pointer: JsonPointer) -> Security:
        if not isinstance(raw, list):
            return Security(pointer=pointer, _locate=self.locate, declared_on="none")
        requirements = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                continue
            requirements.append(
                SecurityRequirement(
                    pointer=join_pointer(pointer, index),
                    _locate=self.locate,
                    schemes=tuple(
                        (
                            str(name),
                            tuple(str(s) for s in scopes) if isinstance(scopes, list) else (),
                        )
                        for name, scopes in item.items()
                    ),
                )
            )
        return Security(
            pointer=pointer,
            _locate=self.locate,
            declared_on="document" if pointer == "/security" else "operation",
            requirements=tuple(requirements),
        )

    def _security_schemes(self) -> dict[str, SecurityScheme]:
        components = self.document.get("components")
        raw = components.get("securitySchemes") if isinstance(components, dict) else None
        out: dict[str, SecurityScheme] = {}
        if not isinstance(raw, dict):
            return out
        for name, raw_scheme in raw.items():
            pointer = join_pointer("/components/securitySchemes", str(name))
            scheme, pointer = self._resolve(raw_scheme, pointer)
            if not isinstance(scheme, dict):
                continue
            flows = scheme.get("flows")

            def text(key: str, lower: bool = False, source: JsonObject = scheme) -> str | None:
                value = source.get(key)
                if not isinstance(value, str):
                    return None
                return value.lower() if lower else value

            out[str(name)] = SecurityScheme(
                pointer=pointer,
                _locate=self.locate,
                name=str(name),
                type=str(scheme.get("type", "")).lower(),
                scheme=text("scheme", lower=True),
                location=text("in", lower=True),
                parameter_name=text("name"),
                bearer_format=text("bearerFormat"),
                flows=tuple(sorted(str(f) for f in flows)) if isinstance(flows, dict) else (),
                raw=scheme,
            )
        return out
