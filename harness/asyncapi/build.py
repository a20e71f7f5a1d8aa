"""Reads a loaded AsyncAPI 2.6 or 3.0 document into its ``AsyncApiModel``, once per contract.

Tolerant, as ``openapi/build.py`` is: what is malformed is skipped here and reported by lint
(``asyncapi/structure.py``). ``$ref``s were bundled to local pointers by the loader.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from ..errors import ContractError
from ..loading import LoadedContract, join_pointer
from ..types import JsonPointer
from .model import Action, AsyncApiModel, AsyncOperation, Channel, Message, Signature

__all__ = ["JSON_SCHEMA_FORMATS", "asyncapi_model"]

JSON_SCHEMA_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/schema+json",
    "application/schema+yaml",
)
"""``schemaFormat`` prefixes whose schemas are JSON Schema (AsyncAPI's superset of draft-07)."""

# AsyncAPI 2.6 names operations from the other applications' view.
_V2_ACTIONS: dict[str, Action] = {"subscribe": "send", "publish": "receive"}


def asyncapi_model(contract: LoadedContract) -> AsyncApiModel:
    """The contract's model (built on first use, then kept on the contract)."""
    model = contract.asyncapi_cache
    if model is None:
        model = _Builder(contract).build()
        contract.asyncapi_cache = model
    assert isinstance(model, AsyncApiModel)
    return model


class _Builder:
    def __init__(self, contract: LoadedContract) -> None:
        self.contract = contract
        self.document = contract.document
        default = self.document.get("defaultContentType")
        self.default_content_type = default if isinstance(default, str) else "application/json"
        self.version = "2.6" if contract.source_format == "asyncapi-2.6" else "3.0"
        self._messages: dict[tuple[JsonPointer, str], Message] = {}

    def build(self) -> AsyncApiModel:
        channels, operations = self._v2() if self.version == "2.6" else self._v3()
        info = self.document.get("info")
        info = info if isinstance(info, dict) else {}
        return AsyncApiModel(
            file=self.contract.file,
            asyncapi_version=self.version,
            title=str(info.get("title", self.contract.file)),
            version=str(info.get("version", "")),
            default_content_type=self.default_content_type,
            channels=tuple(channels),
            operations=tuple(operations),
            signature=self._signature(),
            _by_key={channel.key: channel for channel in reversed(channels)},
        )

    # -- interop's extensions -------------------------------------------------------------
    def _signature(self) -> Signature | None:
        raw = self.document.get("x-interop-signature")
        if not isinstance(raw, dict) or not isinstance(raw.get("header"), str):
            return None
        algorithm = raw.get("algorithm")
        pointer = "/x-interop-signature"
        return Signature(
            header=raw["header"],
            algorithm=algorithm if isinstance(algorithm, str) else "hmac-sha256",
            pointer=pointer,
            line=self._line(pointer),
        )

    def _caused_by(self, raw: dict[str, Any], action: Action) -> tuple[str, ...]:
        """``x-interop-caused-by`` of a send operation: REST operation keys, each once."""
        listed = raw.get("x-interop-caused-by")
        if action != "send" or not isinstance(listed, list):
            return ()
        return tuple(dict.fromkeys(" ".join(k.split()) for k in listed if isinstance(k, str)))

    # -- helpers --------------------------------------------------------------------------
    def _resolve(self, value: Any, pointer: JsonPointer) -> tuple[Any, JsonPointer]:
        try:
            return self.contract.resolve(value, pointer)
        except ContractError:
            return None, pointer

    def _line(self, pointer: JsonPointer) -> int | None:
        return self.contract.location(pointer).line

    def _items(self, pointer: JsonPointer) -> list[tuple[str, Any, JsonPointer]]:
        holder, at = self._resolve(_at(self.document, pointer), pointer)
        if not isinstance(holder, dict):
            return []
        out = []
        for key, raw in holder.items():
            value, where = self._resolve(raw, join_pointer(at, str(key)))
            if isinstance(value, dict):
                out.append((str(key), value, where))
        return out

    def _message(self, raw: dict[str, Any], pointer: JsonPointer, name: str) -> Message:
        cached = self._messages.get((pointer, name))
        if cached is not None:
            return cached
        content_type = raw.get("contentType")
        payload_pointer, payload_format = self._schema_of(raw, pointer, "payload")
        headers_pointer, _ = self._schema_of(raw, pointer, "headers")
        if headers_pointer is None:
            headers_pointer = self._trait_headers(raw, pointer)
        correlation, _ = self._resolve(
            raw.get("correlationId"), join_pointer(pointer, "correlationId")
        )
        location = correlation.get("location") if isinstance(correlation, dict) else None
        title = raw.get("title")
        message = Message(
            pointer=pointer,
            line=self._line(pointer),
            name=name,
            title=title if isinstance(title, str) else None,
            content_type=content_type
            if isinstance(content_type, str)
            else self.default_content_type,
            payload_pointer=payload_pointer,
            payload_format=payload_format,
            headers_pointer=headers_pointer,
            correlation_id=location if isinstance(location, str) else None,
        )
        self._messages[(pointer, name)] = message
        return message

    def _schema_of(
        self, message: dict[str, Any], pointer: JsonPointer, key: str
    ) -> tuple[JsonPointer | None, str | None]:
        """The pointer of the message's ``payload`` or ``headers`` schema, and a schema format
        interop does not read (then the pointer is None)."""
        if key not in message:
            return None, None
        at = join_pointer(pointer, key)
        schema_format = message.get("schemaFormat") if key == "payload" else None
        value, resolved = self._resolve(message[key], at)
        if isinstance(value, dict) and "schemaFormat" in value and "schema" in value:
            schema_format = value["schemaFormat"]  # 3.0: a Multi Format Schema Object
            at = join_pointer(resolved, "schema")
        else:
            at = resolved  # follow a $ref: locations name the file and line of the schema
        if isinstance(schema_format, str) and not schema_format.startswith(JSON_SCHEMA_FORMATS):
            return None, schema_format
        return at, None

    def _trait_headers(self, message: dict[str, Any], pointer: JsonPointer) -> JsonPointer | None:
        traits = message.get("traits")
        if not isinstance(traits, list):
            return None
        found = None
        for i, raw in enumerate(traits):
            trait, at = self._resolve(raw, join_pointer(pointer, "traits", i))
            if isinstance(trait, dict) and "headers" in trait:
                found = join_pointer(at, "headers")
        return found

    # -- AsyncAPI 3.0 ---------------------------------------------------------------------
    def _v3(self) -> tuple[list[Channel], list[AsyncOperation]]:
        channels: list[Channel] = []
        by_pointer: dict[JsonPointer, Channel] = {}
        for key, raw, pointer in self._items("/channels"):
            address = raw.get("address")
            messages = tuple(
                self._message(message, at, name)
                for name, message, at in self._items(join_pointer(pointer, "messages"))
            )
            channel = Channel(
                pointer=pointer,
                line=self._line(pointer),
                name=key,
                address=address if isinstance(address, str) else None,
                messages=messages,
            )
            channels.append(channel)
            by_pointer[pointer] = channel
            by_pointer[join_pointer("/channels", key)] = channel
        operations: list[AsyncOperation] = []
        for key, raw, pointer in self._items("/operations"):
            action = raw.get("action")
            if action not in ("send", "receive"):
                continue
            ref = raw.get("channel")
            target = ref.get("$ref") if isinstance(ref, dict) else None
            channel_pointer = (
                target[1:] if isinstance(target, str) and target.startswith("#") else None
            )
            target_channel = by_pointer.get(unquote(channel_pointer or ""))
            if target_channel is None:
                continue
            messages = self._operation_messages(raw, pointer, target_channel)
            operations.append(
                AsyncOperation(
                    pointer=pointer,
                    line=self._line(pointer),
                    name=key,
                    action=action,
                    channel=target_channel,
                    messages=messages,
                    caused_by=self._caused_by(raw, action),
                )
            )
        return channels, operations

    def _operation_messages(
        self, raw: dict[str, Any], pointer: JsonPointer, channel: Channel
    ) -> tuple[Message, ...]:
        listed = raw.get("messages")
        if not isinstance(listed, list):
            return channel.messages  # no list: every message of the channel
        by_name = {message.name: message for message in channel.messages}
        out: list[Message] = []
        for i, item in enumerate(listed):
            ref = item.get("$ref") if isinstance(item, dict) else None
            name = ref.rsplit("/", 1)[-1] if isinstance(ref, str) else str(i)
            if name in by_name and isinstance(ref, str) and "/messages/" in ref:
                out.append(by_name[name])
                continue
            value, at = self._resolve(item, join_pointer(pointer, "messages", i))
            if isinstance(value, dict):
                out.append(self._message(value, at, name))
        return tuple(out)

    # -- AsyncAPI 2.6 ---------------------------------------------------------------------
    def _v2(self) -> tuple[list[Channel], list[AsyncOperation]]:
        channels: list[Channel] = []
        operations: list[tuple[str, str, dict[str, Any], JsonPointer, str]] = []
        for key, raw, pointer in self._items("/channels"):
            messages: dict[JsonPointer, Message] = {}
            ops: list[tuple[str, tuple[Message, ...], dict[str, Any], JsonPointer]] = []
            for verb in ("publish", "subscribe"):
                op_pointer = join_pointer(pointer, verb)
                op, op_pointer = self._resolve(raw.get(verb), op_pointer)
                if not isinstance(op, dict):
                    continue
                sent = self._v2_messages(op, op_pointer)
                for message in sent:
                    messages.setdefault(message.pointer, message)
                ops.append((verb, sent, op, op_pointer))
            channel = Channel(
                pointer=pointer,
                line=self._line(pointer),
                name=key,
                address=key,
                messages=tuple(messages.values()),
            )
            channels.append(channel)
            for verb, _sent, op, op_pointer in ops:
                operation_id = op.get("operationId")
                operations.append((verb, key, op, op_pointer, str(operation_id or verb)))
        by_name = {channel.name: channel for channel in channels}
        result = []
        for verb, key, op, op_pointer, name in operations:
            channel = by_name[key]
            result.append(
                AsyncOperation(
                    pointer=op_pointer,
                    line=self._line(op_pointer),
                    name=name,
                    action=_V2_ACTIONS[verb],
                    channel=channel,
                    messages=self._v2_messages(op, op_pointer),
                    caused_by=self._caused_by(op, _V2_ACTIONS[verb]),
                )
            )
        return channels, result

    def _v2_messages(self, op: dict[str, Any], pointer: JsonPointer) -> tuple[Message, ...]:
        at = join_pointer(pointer, "message")
        raw = op.get("message")
        if raw is None:
            return ()
        value, resolved = self._resolve(raw, at)
        if isinstance(value, dict) and isinstance(value.get("oneOf"), list):
            out = []
            for i, item in enumerate(value["oneOf"]):
                ref = item.get("$ref") if isinstance(item, dict) else None
                message, where = self._resolve(item, join_pointer(resolved, "oneOf", i))
                if isinstance(message, dict):
                    out.append(self._message(message, where, _v2_name(message, ref, where)))
            return tuple(out)
        if not isinstance(value, dict):
            return ()
        ref = raw.get("$ref") if isinstance(raw, dict) else None
        return (self._message(value, resolved, _v2_name(value, ref, resolved)),)


def _v2_name(message: dict[str, Any], ref: Any, pointer: JsonPointer) -> str:
    """2.6: ``messageId``, else the key it has under ``components/messages``, else ``name``."""
    message_id = message.get("messageId")
    if isinstance(message_id, str):
        return message_id
    for text in (ref if isinstance(ref, str) else "", pointer):
        if "/components/messages/" in text:
            return text.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    name = message.get("name")
    return name if isinstance(name, str) else pointer


def _at(document: Any, pointer: JsonPointer) -> Any:
    from ..loading import resolve_pointer

    try:
        return resolve_pointer(document, pointer)
    except KeyError:
        return None
