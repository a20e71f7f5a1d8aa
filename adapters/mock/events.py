"""The events a successful REST answer causes, built from the cluster's AsyncAPI contract.

A send operation whose ``x-interop-caused-by`` names the REST operation just answered with a
2xx emits each of its messages once (a refused request, such as a ``DELETE`` of an unknown id
answered 404, emits nothing). An event is built by one general rule, whatever the
dialect (the contract's message schema already holds the envelope):

1. a valid payload (and headers) generated from the message's schemas with the mock's seeded
   generator, a new draw per event (``seed`` and the event's sequence number), with as few
   optional properties as it manages (an event does not invent what the resource lacks);
2. the envelope's well-known fields, by name (case, ``-`` and ``_`` aside) at the top level of
   the payload and in the headers: an id (``id``, ``eventId``, ``messageId``, ``ce-id``) gets the
   event's id, a time (``time``, ``eventTime``, ``timestamp``, ``ce-time``...) the event's time
   from the mock's logical clock, a type (``type``, ``eventName``, ``eventType``, ``ce-type``)
   the message's name unless the schema fixes it, ``specversion`` ``1.0``, ``source`` the
   mock's base URL, ``datacontenttype`` ``application/json``;
3. the resource's own values laid into the event's data (the payload's ``data`` object, or
   ``Data``, when it has one, else the payload itself) where the names match: the stored record
   the operation created, changed or removed first (``Context.record``: after a
   ``PATCH``/``PUT`` as it is now, after a ``DELETE`` as it was just before removal, so that
   ``worker.left`` says who left even when the answer is a bodiless 204), then the answer's
   body, then the request's body, then the path's values, then the stored record of the nearest
   parent resource the path names (``Context.parent``: the worker of
   ``/workers/{ID}/requestTimeOff`` as it is now, when the mock holds one), so that an action's
   event says whom it concerns; a data field named ``<resource>Id`` (``workerId`` for
   ``/workers``) also takes the resource's identifier; a number goes into a string field as its
   text (and digits into a number field as the number);
4. the result made valid against the schema again, keeping what fits (``Shape.conform``).

The body is the payload as compact JSON; it is signed where the contract says
(``x-interop-signature``). Delivery is ``delivery.py``'s job.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from interop.harness.asyncapi import AsyncApiModel, AsyncOperation, Message, asyncapi_model
from interop.harness.asyncapi.signing import ALGORITHMS, sign
from interop.harness.errors import ContractError, InvalidContract
from interop.harness.loading import LoadedContract, resolve_pointer
from interop.harness.schema import SchemaSet
from interop.harness.types import JsonObject, JsonValue

from .shapes import Shape, object_view
from .wire import ascii_text, header_text

if TYPE_CHECKING:
    from .core import Mock
    from .flow import Context
    from .model import MockResponse

__all__ = ["Event", "EventSource"]

_EPOCH = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
_NAME = re.compile(r"[^a-z0-9]")
_ID_NAMES = frozenset({"id", "eventid", "messageid", "ceid"})
_TIME_NAMES = frozenset(
    {"time", "eventtime", "timestamp", "occurredat", "senttime", "sentat", "cetime"}
)
_TYPE_NAMES = frozenset({"type", "eventname", "eventtype", "cetype"})
_SPEC_NAMES = frozenset({"specversion", "cespecversion"})
_SOURCE_NAMES = frozenset({"source", "cesource"})
_DATA_TYPE_NAMES = frozenset({"datacontenttype", "cedatacontenttype"})


def _norm(name: str) -> str:
    return _NAME.sub("", name.lower())


@dataclass(frozen=True, slots=True)
class Event:
    """One event as the cluster sends it: what travels, and what caused it."""

    sequence: int
    id: str
    name: str
    """The message's name (``worker.hired``: its ``name``, else its id in the contract)."""
    channel: str
    """The channel's address (``hr.worker.hired``)."""
    operation: str
    """The AsyncAPI send operation's name."""
    caused_by: str
    """The REST operation whose answer caused it (``POST /workers``)."""
    content_type: str
    headers: tuple[tuple[str, str], ...]
    """Sent with the body: the message's headers, ``content-type``, the signature."""
    body: bytes
    payload: JsonValue = field(compare=False)

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in self.headers if k.lower() == low), None)

    def as_dict(self) -> dict[str, Any]:
        """The event as the log and ``GET /__interop/events`` show it."""
        return {
            "sequence": self.sequence,
            "id": self.id,
            "name": self.name,
            "channel": self.channel,
            "operation": self.operation,
            "caused_by": self.caused_by,
            "headers": dict(self.headers),
            "payload": self.payload,
        }


@dataclass(slots=True)
class _Plan:
    """One message of one send operation, compiled once."""

    operation: AsyncOperation
    message: Message
    name: str
    payload: Shape | None
    headers: Shape | None


class EventSource:
    """The events of one AsyncAPI contract, for one mock: which REST answers cause which
    messages (``x-interop-caused-by``), and how each event is built."""

    def __init__(
        self,
        contract: LoadedContract,
        *,
        seed: int = 0,
        source: str = "",
        secret: str | None = None,
    ) -> None:
        if contract.kind != "asyncapi":
            raise InvalidContract(
                contract.file, "an events contract must be an AsyncAPI 2.6 or 3.0 document"
            )
        self.contract = contract
        self.model: AsyncApiModel = asyncapi_model(contract)
        signature = self.model.signature
        if signature is not None and signature.algorithm.lower() not in ALGORITHMS:
            raise InvalidContract(
                contract.file,
                f"x-interop-signature: unknown algorithm {signature.algorithm!r} "
                f"(known: {', '.join(ALGORITHMS)})",
                pointer=signature.pointer,
                line=signature.line,
            )
        self.seed = seed
        self.source = source
        self._secret = secret
        self._schemas = SchemaSet(contract)
        self._plans: dict[str, tuple[_Plan, ...]] = {}
        self.sequence = 0

    @property
    def signed(self) -> bool:
        return self.model.signature is not None and bool(self._secret)

    def reset(self) -> None:
        """Back to the first event (same ids and values again)."""
        self.sequence = 0

    def causes(self) -> dict[str, tuple[str, ...]]:
        """REST operation key -> the channels its answer emits on (for banners and docs)."""
        found: dict[str, list[str]] = {}
        for op in self.model.operations:
            for key in op.caused_by:
                found.setdefault(key, []).append(op.channel.shown)
        return {key: tuple(channels) for key, channels in found.items()}

    # -- building -------------------------------------------------------------------------
    def events_for(
        self,
        operation_key: str,
        values: Mapping[str, JsonValue],
        *,
        resource: str | None = None,
        identifier: JsonValue = None,
    ) -> list[Event]:
        """The events the successful answer of ``operation_key`` causes, built from
        ``values`` (the resource's fields by name), ``resource`` (its singular name,
        ``worker``) and its ``identifier``."""
        plans = self._plans_for(operation_key)
        events = []
        for plan in plans:
            self.sequence += 1
            events.append(self._build(plan, operation_key, values, resource, identifier))
        return events

    def from_exchange(self, mock: Mock, context: Context, response: MockResponse) -> list[Event]:
        """The events a mock's successful answer causes (values from the stored record it
        created, changed or removed, then its body, the request's body, the path and the
        stored record of the parent the path names)."""
        operation = context.operation
        if not self._plans_for(operation.key):
            return []
        # Least trusted first: each source overrides the ones before it.
        values: dict[str, JsonValue] = _parent_values(context)
        values.update(context.path_params)
        if isinstance(context.body, dict):
            values.update(context.body)
        if response.body and "json" in (response.header("content-type") or ""):
            try:
                answered = json.loads(response.body)
            except ValueError:
                answered = None
            if isinstance(answered, dict):
                values.update(answered)
        if context.record is not None:
            # A copy: the event log keeps the payload, the store may keep the record.
            values.update(copy.deepcopy(context.record.data))
        collection = operation.collection or operation.parent_collection
        resource = None
        identifier: JsonValue = None
        if collection is not None:
            segment = collection.template.rstrip("/").rsplit("/", 1)[-1]
            resource = _singular(segment.split("(", 1)[0])
            id_field = collection.id_field
            if id_field and id_field in values:
                identifier = values[id_field]
            elif operation.id_param and operation.id_param in context.path_params:
                identifier = context.path_params[operation.id_param]
        return self.events_for(operation.key, values, resource=resource, identifier=identifier)

    def _plans_for(self, operation_key: str) -> tuple[_Plan, ...]:
        plans = self._plans.get(operation_key)
        if plans is None:
            built = []
            for op in self.model.caused_by(operation_key):
                for message in op.messages:
                    built.append(
                        _Plan(
                            operation=op,
                            message=message,
                            name=_message_name(self, message),
                            payload=self._shape(message.payload_pointer),
                            headers=self._shape(message.headers_pointer),
                        )
                    )
            plans = tuple(built)
            self._plans[operation_key] = plans
        return plans

    def _shape(self, pointer: str | None) -> Shape | None:
        if pointer is None:
            return None
        try:
            return Shape.compile(self._schemas.schema(pointer, "response"), self.seed)
        except (ContractError, ValueError):
            return None

    def _build(
        self,
        plan: _Plan,
        caused_by: str,
        values: Mapping[str, JsonValue],
        resource: str | None,
        identifier: JsonValue,
    ) -> Event:
        draw = self.seed * 100_003 + self.sequence
        rng = random.Random(draw)
        event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        when = (_EPOCH + dt.timedelta(seconds=self.sequence)).isoformat().replace("+00:00", "Z")
        well_known = _WellKnown(event_id, when, plan.name, self.source)
        payload: JsonValue = None
        envelope = False
        if plan.payload is not None:
            base = plan.payload.fresh(draw, minimal=True)
            payload = base
            if isinstance(base, dict):
                filled = base
                envelope = _is_envelope(plan.payload, plan.message)
                if envelope:
                    filled = well_known.fill(plan.payload, plan.payload.view(), base)
                filled = _lay(plan.payload, filled, values, resource, identifier)
                payload = plan.payload.conform(filled, base=base) or base
        headers: list[tuple[str, str]] = []
        if plan.headers is not None:
            sample = plan.headers.fresh(draw, minimal=True)
            if isinstance(sample, dict):
                filled = well_known.fill(plan.headers, plan.headers.view(), sample)
                filled = plan.headers.conform(filled, base=sample) or sample
                for name, value in filled.items():
                    text = header_text(value)
                    if text is not None:
                        headers.append((str(name).lower(), ascii_text(text)))
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        content_type = plan.message.content_type
        headers.append(("content-type", content_type))
        signature = self.model.signature
        if signature is not None and self._secret:
            name, value = sign(signature, body, self._secret)
            headers.append((name.lower(), value))
        return Event(
            sequence=self.sequence,
            id=_event_id(payload if envelope else None, headers) or event_id,
            name=plan.name,
            channel=plan.operation.channel.shown,
            operation=plan.operation.name,
            caused_by=caused_by,
            content_type=content_type,
            headers=tuple(headers),
            body=body,
            payload=payload,
        )


def _parent_values(context: Context) -> dict[str, JsonValue]:
    """What the mock holds about the parent the request's path names, as of now (a copy: the
    event log keeps the payload, the store keeps the record)."""
    return copy.deepcopy(context.parent.data) if context.parent is not None else {}


def _message_name(source: EventSource, message: Message) -> str:
    """The message's ``name`` as written, else its id in the contract."""
    try:
        raw = resolve_pointer(source.contract.document, message.pointer)
    except KeyError:
        raw = None
    name = raw.get("name") if isinstance(raw, dict) else None
    return name if isinstance(name, str) and name else message.name


@dataclass(frozen=True, slots=True)
class _WellKnown:
    event_id: str
    time: str
    type: str
    source: str

    def fill(self, shape: Shape, view: JsonObject, data: JsonObject) -> JsonObject:
        props = view.get("properties")
        if not isinstance(props, dict):
            return data
        out = dict(data)
        for name, sub in props.items():
            key = _norm(name)
            value: JsonValue
            if key in _ID_NAMES:
                value = _id_as(object_view(shape.schema, sub), self.event_id)
            elif key in _TIME_NAMES:
                value = self.time
            elif key in _TYPE_NAMES:
                schema = object_view(shape.schema, sub)
                if "const" in schema or "enum" in schema:
                    continue
                value = self.type
            elif key in _SPEC_NAMES:
                value = "1.0"
            elif key in _SOURCE_NAMES:
                value = self.source or "/interop/mock"
            elif key in _DATA_TYPE_NAMES:
                value = "application/json"
            else:
                continue
            out[name] = value
        return out


def _is_envelope(shape: Shape, message: Message) -> bool:
    """Whether the payload is an envelope around the data (a ``data`` property, or a
    structured CloudEvent) rather than the data itself (CloudEvents' binary mode)."""
    props = shape.view().get("properties")
    declared = isinstance(props, dict) and _data_property(props) is not None
    return declared or message.content_type.startswith("application/cloudevents")


def _data_property(props: Mapping[str, object]) -> str | None:
    """The envelope's data object, by name whatever its case (``data``; Workday-style
    messages write ``Data``)."""
    return next((name for name in props if _norm(name) == "data"), None)


def _lay(
    shape: Shape,
    payload: JsonObject,
    values: Mapping[str, JsonValue],
    resource: str | None,
    identifier: JsonValue,
) -> JsonObject:
    """``payload`` with the resource's values laid into its data where names match: the
    ``data`` object of an envelope (``Data`` too), else the payload itself and an object
    property named after the resource (``worker: {...}``)."""
    view = shape.view()
    props = view.get("properties")
    props = props if isinstance(props, dict) else {}
    by_name = {_norm(k): v for k, v in values.items() if v is not None}
    own_id = _norm(f"{resource}id") if resource else None
    data_name = _data_property(props)
    data_schema = props.get(data_name) if data_name is not None else None
    if (
        data_name is not None
        and isinstance(payload.get(data_name), dict)
        and data_schema is not None
    ):
        inner_view = object_view(shape.schema, data_schema)
        payload = dict(payload)
        inner = payload[data_name]
        assert isinstance(inner, dict)
        payload[data_name] = _laid(inner_view, inner, by_name, own_id, identifier)
        return payload
    out = _laid(view, payload, by_name, own_id, identifier)
    if resource is not None:
        for name, sub in props.items():
            if _norm(name) == _norm(resource) and isinstance(out.get(name), dict):
                inner_view = object_view(shape.schema, sub)
                out[name] = _laid(inner_view, out[name], by_name, own_id, identifier)
    return out


def _laid(
    view: JsonObject,
    data: JsonObject,
    values: Mapping[str, JsonValue],
    own_id: str | None,
    identifier: JsonValue,
) -> JsonObject:
    props = view.get("properties")
    if not isinstance(props, dict):
        return data
    out = dict(data)
    for name, sub in props.items():
        key = _norm(name)
        if key in values:
            out[name] = _as_typed(values[key], sub)
        elif own_id is not None and key == own_id and identifier is not None:
            out[name] = _as_typed(identifier, sub)
    return out


def _as_typed(value: JsonValue, schema: Any) -> JsonValue:
    """``value`` as the event's field types it, where that is only a matter of writing: an
    integer id where the event declares a string (``300000047812345`` -> ``"300000047812345"``)
    or the reverse."""
    declared = schema.get("type") if isinstance(schema, dict) else None
    types = {declared} if isinstance(declared, str) else set(declared or ())
    if "string" in types and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if types & {"integer", "number"} and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _id_as(schema: JsonObject, event_id: str) -> str:
    """The event's id (a UUID) as the id field's schema writes ids: dashed, else as 32 hex
    digits (a Workday ID), whichever the field's pattern and length accept first."""
    pattern = schema.get("pattern")
    longest = schema.get("maxLength")
    for candidate in (event_id, event_id.replace("-", "")):
        if isinstance(longest, int) and len(candidate) > longest:
            continue
        try:
            if isinstance(pattern, str) and re.search(pattern, candidate) is None:
                continue
        except re.error:
            return event_id  # a pattern Python cannot read: leave it to the repair step
        return candidate
    return event_id


def _event_id(payload: JsonValue, headers: list[tuple[str, str]]) -> str | None:
    """The id the event carries (its ``ce-id``, or its envelope's), if any."""
    for name, value in headers:
        if _norm(name) in _ID_NAMES:
            return value
    if isinstance(payload, dict):
        for name, value in payload.items():
            if _norm(name) in _ID_NAMES and isinstance(value, str):
                return value
    return None


def _singular(word: str) -> str:
    low = word.lower()
    if low.endswith("ies"):
        return word[:-3] + "y"
    if low.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if low.endswith("s") and not low.endswith("ss"):
        return word[:-1]
    return word
