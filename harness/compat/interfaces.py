"""Which check a pair gets: its two documents' kind (``harness/kinds.py``) decides."""

from __future__ import annotations

from pathlib import PurePath

from ..errors import UsageError
from ..loading import LoadedContract
from .context import PairContext
from .events import check_events
from .operations import check_operations, operation_keys
from .payloads import check_payload

__all__ = ["check_interfaces", "interface_keys", "same_kind"]

_KIND_NAMES = {"openapi": "OpenAPI", "asyncapi": "AsyncAPI", "jsonschema": "JSON Schema"}


def same_kind(consumer: LoadedContract, provider: LoadedContract) -> None:
    """Raise ``UsageError`` (one line, exit 2) when the two documents are of different kinds:
    an AsyncAPI consumer cannot be judged against an OpenAPI provider."""
    if consumer.kind != provider.kind:
        raise UsageError(
            f"{consumer.file} is {_shown(consumer)} but {provider.file} is {_shown(provider)}: "
            "a consumer and a provider must be of the same kind (OpenAPI, AsyncAPI or JSON "
            "Schema)"
        )


def check_interfaces(ctx: PairContext) -> tuple[str, ...]:
    """Judge the pair by its kind; returns the interface keys (operations, ``RECEIVE hr.x``,
    ``WEBHOOK workerHired``, ``PAYLOAD costing``)."""
    same_kind(ctx.consumer.contract, ctx.provider.contract)
    kind = ctx.consumer.contract.kind
    if kind == "asyncapi":
        return check_events(ctx)
    if kind == "jsonschema":
        return check_payload(ctx)
    return check_operations(ctx)


def interface_keys(contract: LoadedContract) -> tuple[str, ...]:
    """The interface keys of a consumer contract without judging it (a pair that failed)."""
    if contract.kind == "asyncapi":
        from ..asyncapi import asyncapi_model

        return tuple(dict.fromkeys(op.label for op in asyncapi_model(contract).operations))
    if contract.kind == "jsonschema":
        title = contract.document.get("title") or PurePath(contract.file).stem
        return (f"PAYLOAD {title}",)
    return operation_keys(contract)


def _shown(contract: LoadedContract) -> str:
    return f"{_KIND_NAMES[contract.kind]} ({contract.source_format.removeprefix('asyncapi-')})"
