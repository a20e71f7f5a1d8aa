"""AsyncAPI 2.6 and 3.0 documents: the model (``model.py``: channels by address, send/receive
operations from the owner's view, messages with payload and headers schemas), its reading
(``build.py``: ``asyncapi_model(contract)``, built once per contract) and structural validity
(``structure.py``: the official AsyncAPI JSON Schemas; standalone JSON Schemas against their
meta-schema)."""

from __future__ import annotations

from .build import asyncapi_model
from .model import (
    Action,
    AsyncApiModel,
    AsyncOperation,
    Channel,
    Message,
    Signature,
    address_key,
)
from .structure import structural_problems, validate_document

__all__ = [
    "Action",
    "AsyncApiModel",
    "AsyncOperation",
    "Channel",
    "Message",
    "Signature",
    "address_key",
    "asyncapi_model",
    "structural_problems",
    "validate_document",
]
