"""The registry of rule ids: each kind of finding has one stable id, a default severity and a
one-line summary. ``docs/rules.md`` explains each at length; a test keeps the two in step.

Ids are dotted lower-kebab. Schema rules exist once per place a schema sits:
``request.body``, ``request.parameter``, ``response.body`` and ``response.header``.
Registering an id twice fails at import, as respx's pattern registry does.
"""

from __future__ import annotations

from dataclasses import dataclass

from .results import Severity
from .types import RuleId

__all__ = ["RULES", "Rule", "rule"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: RuleId
    severity: Severity
    summary: str


RULES: dict[RuleId, Rule] = {}


def _register(rule_id: RuleId, severity: Severity, summary: str) -> None:
    if rule_id in RULES:
        raise RuntimeError(f"duplicate rule id {rule_id!r}")
    RULES[rule_id] = Rule(rule_id, severity, summary)


def rule(rule_id: RuleId) -> Rule:
    """The registered rule, or KeyError: a finding must never carry an undocumented id."""
    return RULES[rule_id]


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# --- structure -------------------------------------------------------------------------------
_register("operation.missing", E, "The provider has no operation with this method and path.")
_register("request.parameter.required", E,
          "The provider requires a parameter the consumer may not send.")
_register("request.parameter.unknown", W,
          "The consumer sends a parameter the provider does not declare.")
_register("request.parameter.style", E,
          "The parameter is serialised differently (style/explode) on each side.")
_register("request.body.absent", E, "The provider requires a request body the consumer may omit.")
_register("request.body.unexpected", W,
          "The consumer sends a request body the provider does not declare.")
_register("request.body.media-type", E,
          "The consumer sends a body in a media type the provider does not accept.")
_register("response.body.media-type", E,
          "The provider may answer in a media type the consumer does not accept.")
_register("response.status.unhandled", E,
          "The provider may return a 2xx status the consumer does not handle.")
_register("response.status.unhandled-error", W,
          "The provider may return a non-2xx status the consumer does not handle.")
_register("response.header.required", E,
          "The consumer requires a response header the provider may omit.")
_register("security.scheme", E,
          "The consumer authenticates with a scheme the provider does not accept.")
_register("security.scope", E,
          "The provider requires an OAuth2 scope the consumer does not hold.")
_register("schema.generation-failed", W,
          "No values could be generated from a schema, so the pair was judged statically only.")

# --- schema constraints, once per place a schema sits -----------------------------------------
SCHEMA_PLACES = ("request.body", "request.parameter", "response.body", "response.header")
SCHEMA_CONSTRAINTS: dict[str, str] = {
    "type": "a value of a type the other side does not accept",
    "nullable": "null where the other side does not allow it",
    "enum": "a value outside the other side's enum",
    "const": "a value other than the other side's const",
    "max-length": "a string longer than the other side's maxLength",
    "min-length": "a string shorter than the other side's minLength",
    "pattern": "a string that does not match the other side's pattern",
    "format": "a string not in the other side's format",
    "maximum": "a number above the other side's maximum (or exclusiveMaximum)",
    "minimum": "a number below the other side's minimum (or exclusiveMinimum)",
    "multiple-of": "a number that is not a multiple of the other side's multipleOf",
    "max-items": "an array longer than the other side's maxItems",
    "min-items": "an array shorter than the other side's minItems",
    "unique-items": "an array with duplicates where the other side wants uniqueItems",
    "max-properties": "an object with more properties than the other side's maxProperties",
    "min-properties": "an object with fewer properties than the other side's minProperties",
    "required": "an object without a property the other side requires",
    "additional-properties": "a property the other side does not accept",
    "read-only": "a readOnly property in a request",
    "write-only": "a writeOnly property the consumer requires in a response",
    "combinator": "a value that fails the other side's allOf/oneOf/anyOf/not",
    "discriminator": "a discriminator value the other side does not map",
    "schema": "a value one side produces and the other rejects",
}
for _place in SCHEMA_PLACES:
    for _constraint, _what in SCHEMA_CONSTRAINTS.items():
        _producer = "consumer may send" if _place.startswith("request") else "provider may return"
        _register(f"{_place}.{_constraint}", E, f"The {_producer} {_what}.")
