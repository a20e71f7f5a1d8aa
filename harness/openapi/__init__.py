"""The contract model: one reading of an OpenAPI document under every command.

``contract_model(contract)`` reads a ``LoadedContract`` once into frozen records: servers and
base path, operations with their parameters (and how values cross the wire), request bodies per
media type, responses per status with headers and links, effective security, webhooks and
callbacks; every record with its pointer and line. The engine (``compat``), ``diff``,
``impact``, ``verify``, ``conform`` and the mock all read contracts through it; only
``validation`` walks the raw document, because it must see what is invalid.
"""

from __future__ import annotations

from .build import METHODS, base_path_of, contract_model
from .model import (
    Callback,
    ContractModel,
    Element,
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
from .paths import path_parameter_names, strip_base, template_key
from .wire import scalar_text, serialise

__all__ = [
    "METHODS",
    "Callback",
    "ContractModel",
    "Element",
    "Header",
    "Link",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "Security",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Webhook",
    "base_path_of",
    "contract_model",
    "path_parameter_names",
    "scalar_text",
    "serialise",
    "strip_base",
    "template_key",
]
