"""The frozen records of an AsyncAPI 2.6 or 3.0 document, as every command reads it.

One reading for both versions, from the view of the application the document describes (its
*owner*): an ``AsyncOperation`` is ``send`` (the owner publishes messages on the channel) or
``receive`` (the owner consumes them). AsyncAPI 2.6 wrote the opposite view: its ``subscribe``
operation means other applications may subscribe, so the owner **sends**; its ``publish`` means
others publish, so the owner **receives**. ``build.py`` maps them.

Every record carries the JSON pointer (into the bundled document) and the line where it is
declared, so findings point at the source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from ..types import JsonPointer

__all__ = [
    "Action",
    "AsyncApiModel",
    "AsyncOperation",
    "Channel",
    "Message",
    "Signature",
    "address_key",
]

Action: TypeAlias = Literal["send", "receive"]

_PARAMETER = re.compile(r"\{[^{}]*\}")


def address_key(address: str) -> str:
    """The matching key of a channel address: parameter names erased
    (``workers/{id}/hired`` and ``workers/{workerId}/hired`` are one channel)."""
    return _PARAMETER.sub("{}", address)


def _operation_key(text: str) -> str:
    method, _, path = text.strip().partition(" ")
    path = path.strip()
    return f"{method.upper()} {path.rstrip('/') or '/'}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """One message: what travels on a channel."""

    pointer: JsonPointer
    """Where the message object is (after following ``$ref``)."""
    line: int | None
    name: str
    """The message's id: its key under ``channels.<c>.messages`` or ``components.messages``
    (3.0), its ``messageId`` or components key (2.6), else its ``name``."""
    title: str | None = None
    content_type: str
    """The message's ``contentType``, else the document's ``defaultContentType``, else
    ``application/json``."""
    payload_pointer: JsonPointer | None = None
    """The payload schema (a 3.0 Multi Format Schema Object's inner ``schema``); None when the
    message declares no payload or one in a schema format interop does not read."""
    payload_format: str | None = None
    """A non-JSON-Schema ``schemaFormat`` (Avro, RAML...): the payload is not compared."""
    headers_pointer: JsonPointer | None = None
    """The headers schema: the message's own, else the last trait's that declares one."""
    correlation_id: str | None = None
    """The correlation id's runtime expression (``$message.header#/correlationId``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Channel:
    pointer: JsonPointer
    line: int | None
    name: str
    """The key under ``channels``."""
    address: str | None
    """Where messages travel: 3.0's ``address`` (None when null or absent: unknown or dynamic,
    and then the channel matches by its key), 2.6's key."""
    messages: tuple[Message, ...] = ()
    """3.0: the channel's ``messages``; 2.6: every message of its publish/subscribe."""

    @property
    def key(self) -> str:
        """The matching key: the address with parameter names erased, else ``#<name>``."""
        return address_key(self.address) if self.address is not None else f"#{self.name}"

    @property
    def shown(self) -> str:
        return self.address if self.address is not None else self.name


@dataclass(frozen=True, slots=True, kw_only=True)
class AsyncOperation:
    pointer: JsonPointer
    line: int | None
    name: str
    """3.0: the key under ``operations``; 2.6: ``operationId``, else ``publish``/``subscribe``."""
    action: Action
    """From the owner's view: ``send`` or ``receive`` (2.6 ``subscribe`` is ``send``)."""
    channel: Channel
    messages: tuple[Message, ...] = ()
    """The messages this operation sends or receives (3.0: all the channel's when the operation
    lists none)."""
    caused_by: tuple[str, ...] = ()
    """On a send: the owner's REST operations (``"POST /workers"``, method and path key as its
    OpenAPI contract of the same version writes them) whose successful answer causes the
    message, from the extension ``x-interop-caused-by``; empty when not declared."""

    @property
    def label(self) -> str:
        """How findings name it, from the owner's view: ``RECEIVE worker.hired``."""
        return f"{self.action.upper()} {self.channel.shown}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Signature:
    """How the owner signs what it delivers (the root extension ``x-interop-signature``): the
    header carrying the lowercase hex HMAC of the raw body, and the algorithm."""

    header: str
    algorithm: str = "hmac-sha256"
    pointer: JsonPointer = "/x-interop-signature"
    line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AsyncApiModel:
    """A whole AsyncAPI document, read once (``asyncapi_model(contract)`` caches it)."""

    file: str
    asyncapi_version: str
    """``"2.6"`` or ``"3.0"``."""
    title: str
    version: str
    default_content_type: str
    channels: tuple[Channel, ...] = ()
    operations: tuple[AsyncOperation, ...] = ()
    signature: Signature | None = None
    """The delivery signature the document declares (``x-interop-signature``), if any."""
    _by_key: Mapping[str, Channel] = field(default_factory=dict, repr=False, compare=False)

    def channel(self, address: str) -> Channel | None:
        """The channel at ``address`` (parameter names erased), if declared."""
        return self._by_key.get(address_key(address))

    def operations_on(self, address: str, action: Action) -> tuple[AsyncOperation, ...]:
        key = address_key(address)
        return tuple(op for op in self.operations if op.channel.key == key and op.action == action)

    def caused_by(self, operation_key: str) -> tuple[AsyncOperation, ...]:
        """The send operations whose ``x-interop-caused-by`` names ``operation_key``
        (``"POST /workers"``; the method's case and a trailing slash do not matter)."""
        wanted = _operation_key(operation_key)
        return tuple(
            op
            for op in self.operations
            if op.action == "send" and any(_operation_key(k) == wanted for k in op.caused_by)
        )

    def messages_on(self, address: str, action: Action) -> tuple[Message, ...]:
        """Every message the owner sends (or receives) on ``address``, each once."""
        seen: dict[JsonPointer, Message] = {}
        for op in self.operations_on(address, action):
            for message in op.messages:
                seen.setdefault(message.pointer, message)
        return tuple(seen.values())
