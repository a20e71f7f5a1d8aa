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

__all__ = ["RULES", "UNDECIDED_RULES", "Rule", "rule"]


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


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# --- structure -------------------------------------------------------------------------------
_register("operation.missing", E, "The provider has no operation with this method and path.")
_register(
    "operation.base-path",
    W,
    "Both sides name an absolute base URL and the consumer calls under another base path.",
)
_register(
    "request.parameter.required", E, "The provider requires a parameter the consumer may not send."
)
_register(
    "request.parameter.unknown", W, "The consumer sends a parameter the provider does not declare."
)
_register(
    "request.parameter.style",
    E,
    "The parameter is serialised differently (style/explode) on each side.",
)
_register("request.body.absent", E, "The provider requires a request body the consumer may omit.")
_register(
    "request.body.unexpected", W, "The consumer sends a request body the provider does not declare."
)
_register(
    "request.body.media-type",
    E,
    "The consumer sends a body in a media type the provider does not accept.",
)
_register(
    "response.body.media-type",
    E,
    "The provider may answer in a media type the consumer does not accept.",
)
_register(
    "response.status.unhandled",
    E,
    "The provider may return a 2xx status the consumer does not handle.",
)
_register(
    "response.status.unhandled-error",
    W,
    "The provider may return a non-2xx status the consumer does not handle.",
)
_register(
    "response.header.required", E, "The consumer requires a response header the provider may omit."
)
_register(
    "security.scheme", E, "The consumer authenticates with a scheme the provider does not accept."
)
_register("security.scope", E, "The provider requires an OAuth2 scope the consumer does not hold.")
_register(
    "contract.load-failed",
    E,
    "A contract of the pair cannot be loaded or compiled, so the pair was not judged.",
)
_register(
    "schema.generation-failed",
    W,
    "No values could be generated from a schema where static reasoning was unsure: undecided.",
)
_register(
    "schema.undecided",
    W,
    "Static reasoning was unsure and generation found no counterexample: undecided.",
)

# --- events, callbacks and payloads (harness/compat/webhooks.py, events.py, payloads.py) --------
# The provider calls the consumer (webhooks, callbacks), either side sends messages (AsyncAPI),
# or the provider writes records the consumer reads (standalone JSON Schema). One rule per kind
# of problem; the message names the constraint and the counterexample shows it.
# fmt: off
_register("webhook.missing", E,
          "The consumer expects a webhook the provider never sends.")
_register("callback.missing", E,
          "The consumer registers a callback on an operation the provider never calls back.")
_register("webhook.body.media-type", E,
          "The provider sends a webhook or callback body in a media type the consumer does not "
          "accept.")
_register("webhook.body.not-accepted", E,
          "The provider may send a webhook or callback body the consumer's schema rejects.")
_register("webhook.response.unhandled", E,
          "The consumer may answer a webhook or callback with a 2xx the provider does not "
          "handle.")
_register("webhook.response.unhandled-error", W,
          "The consumer may answer a webhook or callback with a non-2xx the provider does not "
          "handle.")
_register("webhook.response.not-accepted", E,
          "The consumer may answer a webhook or callback with a body the provider rejects.")
_register("event.channel.missing", E,
          "The consumer sends or receives on a channel the provider does not declare.")
_register("event.operation.missing", E,
          "The provider declares the channel but does not send (or receive) what the consumer "
          "receives (or sends) there.")
_register("event.message.content-type", E,
          "A message is sent in a content type the receiver does not read.")
_register("event.message.not-accepted", E,
          "A message payload one side may send is rejected by every message the other side "
          "receives on the channel.")
_register("event.header.required-missing", E,
          "The receiver requires a message header the sender may leave out.")
_register("event.header.not-accepted", E,
          "A message header value one side may send is rejected by the receiver's schema.")
_register("payload.not-accepted", E,
          "The producer's schema allows a record (file or batch payload) the reader rejects.")
# fmt: on

UNDECIDED_RULES = frozenset({"schema.generation-failed", "schema.undecided"})
"""Findings that say the engine could not decide: a pair with one (and no error) is
``undecided``, never ``compatible``."""

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
        if f"{_place}.{_constraint}" in RULES:  # request.parameter.required is structural
            continue
        _register(f"{_place}.{_constraint}", E, f"The {_producer} {_what}.")


# --- lint (harness/validation.py, harness/lint.py; docs/lint.md) --------------------------------
# fmt: off
# Errors: the contract is invalid or cannot be used.
_register("lint.load-failed", E, "The file cannot be loaded (syntax, encoding, limits, $ref).")
_register("lint.openapi-structure", E, "The document breaks the OpenAPI meta-schema.")
_register("lint.ref-unresolvable", E, "A $ref cannot be followed.")
_register("lint.info-empty", E, "info.title or info.version is an empty string.")
_register("lint.server-url-invalid", E,
          "A server URL has unbalanced braces or an undeclared {variable}.")
_register("lint.path-template-invalid", E,
          "A path has unbalanced braces or repeats a {placeholder}.")
_register("lint.path-duplicate", E,
          "Two paths are the same template with different parameter names.")
_register("lint.path-parameter-undeclared", E,
          "A {placeholder} in the path has no matching path parameter.")
_register("lint.path-parameter-unknown", E,
          "A path parameter does not appear in the path template.")
_register("lint.parameter-duplicate", E,
          "The same parameter (name and location) is declared twice.")
_register("lint.parameter-invalid", E,
          "Swagger 2.0: more than one body parameter, or body together with formData.")
_register("lint.response-status-invalid", E,
          "A response key is not a status code (100-599), a range (4XX) or default.")
_register("lint.operation-id-duplicate", E, "Two operations share an operationId.")
_register("lint.security-scheme-undeclared", E,
          "A security requirement names a scheme components/securitySchemes does not declare.")
_register("lint.pattern-invalid", E, "A schema's pattern is not a valid regular expression.")
_register("lint.array-items-missing", E, "OpenAPI 3.0: an array schema without items.")
_register("lint.required-undeclared", E,
          "required names a property that is not declared while additionalProperties is false.")
_register("lint.schema-invalid", E, "A schema cannot be compiled into a validator.")
_register("lint.asyncapi-structure", E, "The document breaks the official AsyncAPI JSON Schema.")
_register("lint.json-schema-structure", E,
          "A standalone JSON Schema breaks its dialect's meta-schema (2020-12 or draft-07).")
_register("lint.example-invalid", E, "An example does not validate against its schema.")
_register("lint.default-invalid", E, "A default value does not validate against its schema.")
_register("lint.catalogue-invalid", E,
          "The catalogue and a contract disagree (info.version, x-interop programme or cluster).")
# Warnings: the contract works, but is incomplete.
_register("lint.required-unknown", W, "required names a property that is not declared (a typo?).")
_register("lint.description-missing", W, "The API or an operation has no description or summary.")
_register("lint.operation-id-missing", W, "An operation has no operationId.")
_register("lint.error-responses-missing", W,
          "An operation declares no 4xx, 5xx or default response.")
_register("lint.examples-missing", W, "Operations have no example of a request or response.")
_register("lint.security-missing", W, "No security requirement applies to an operation.")
_register("lint.consumer-metadata-missing", W,
          "A consumer contract has neither an x-interop extension nor a programme sidecar.")
_register("lint.payload-missing", W,
          "An AsyncAPI message declares no payload schema, so receivers cannot be checked.")
_register("lint.go-live-missing", W, "A programme sidecar has no target go-live date.")
_register("lint.contact-missing", W, "A programme sidecar has no contact.")
_register("lint.swagger2-converted", W,
          "The contract is Swagger 2.0; interop converted it to OpenAPI 3.0 to read it.")
_register("lint.loader-tolerated", W,
          "The loader worked around a defect: an unreadable example file, an operation $ref.")
_register("lint.openapi-3-2", INFO,
          "OpenAPI 3.2 is read with the 3.1 rules; 3.2-only fields are ignored.")
# fmt: on


# --- contract evolution (harness/diff/; docs/rules.md "Contract evolution (diff) rules") ------
# A breaking change reuses the check rule a consumer compatible with the old version would hit
# against the new one (``operation.missing``, ``request.body.max-length``...). The ids below name
# changes that no consumer can notice as an error (additions, relaxations, deprecations), and
# the removal of a request input the provider used to honour: breaking, although ``check`` only
# warns about an undeclared input (see docs/rules.md, "Contract evolution (diff) rules").
_register("operation.added", INFO, "diff: the new version offers an operation the old one did not.")
_register("operation.deprecated", INFO, "diff: an operation is newly marked deprecated.")
_register("request.parameter.added", INFO, "diff: a new optional parameter is accepted.")
_register("request.body.added", INFO, "diff: an operation newly accepts an optional request body.")
_register(
    "request.body.media-type-added",
    INFO,
    "diff: the request body is accepted in an additional media type.",
)
_register(
    "response.body.media-type-added",
    INFO,
    "diff: a response may also be returned in a new media type, to clients that ask for it.",
)
_register(
    "request.parameter.removed",
    E,
    "diff: a request parameter is no longer declared; clients sending it lose its effect.",
)
_register(
    "request.body.removed",
    E,
    "diff: the request body is no longer declared; clients sending one lose its effect.",
)
_register(
    "request.body.property-removed",
    E,
    "diff: a request property is no longer declared; clients sending it lose its effect.",
)
_register(
    "request.parameter.property-removed",
    E,
    "diff: a property of an object parameter is no longer declared.",
)
_register("response.status.removed", INFO, "diff: a response status is no longer returned.")
_register(
    "security.relaxed", INFO, "diff: an operation accepts more credentials (or none) than before."
)
_register(
    "schema.relaxed",
    INFO,
    "diff: a schema accepts more (request) or promises more (response) than before.",
)


# Interfaces beside the API (harness/diff/events.py, webhooks.py, payloads.py): a change names
# what changed; whether it breaks depends on which way the message travels (docs/rules.md).
_register(
    "event.signature.changed",
    E,
    "diff: deliveries are no longer signed, or signed with another header or algorithm.",
)
_register("event.signature.added", INFO, "diff: deliveries are now signed.")
_register("event.channel.removed", E, "diff: an AsyncAPI channel was removed.")
_register("event.channel.added", INFO, "diff: a new AsyncAPI channel.")
_register(
    "event.operation.removed", E, "diff: the provider no longer sends (or receives) on a channel."
)
_register(
    "event.operation.added", INFO, "diff: the provider now also sends (or receives) on a channel."
)
_register("event.message.removed", E, "diff: a message was removed from a channel.")
_register(
    "event.message.added",
    INFO,
    "diff: a new message on a channel (breaking when sent and no old message takes it).",
)
_register(
    "event.payload.widened",
    E,
    "diff: a message payload admits values it did not (breaks subscribers of a sent message).",
)
_register(
    "event.payload.narrowed",
    E,
    "diff: a message payload refuses values it admitted (breaks senders of a received message).",
)
_register(
    "event.header.widened",
    E,
    "diff: message headers admit values they did not (breaks subscribers of a sent message).",
)
_register(
    "event.header.narrowed",
    E,
    "diff: message headers refuse values they admitted (breaks senders of a received message).",
)
_register(
    "event.header.required-added",
    E,
    "diff: a message header is newly required (breaks senders of a received message).",
)
_register(
    "event.header.required-removed",
    E,
    "diff: a message header is no longer required (breaks subscribers of a sent message).",
)
_register("webhook.removed", E, "diff: a webhook is no longer sent.")
_register("webhook.added", INFO, "diff: a new webhook.")
_register("callback.removed", E, "diff: a callback is no longer made.")
_register("callback.added", INFO, "diff: a new callback.")
_register("webhook.body.widened", E, "diff: a webhook or callback body admits values it did not.")
_register("webhook.body.narrowed", INFO, "diff: a webhook or callback body admits fewer values.")
_register(
    "webhook.response.added",
    INFO,
    "diff: the provider handles a new answer status to a webhook or callback.",
)
_register(
    "webhook.response.narrowed",
    E,
    "diff: the provider reads a webhook or callback answer more narrowly.",
)
_register(
    "webhook.response.widened",
    INFO,
    "diff: the provider reads a webhook or callback answer more widely.",
)
_register(
    "payload.widened", E, "diff: a JSON Schema record admits instances it did not (breaks readers)."
)
_register("payload.narrowed", INFO, "diff: a JSON Schema record admits fewer instances.")

# --- verify (harness/verify/; docs/verify.md) ---------------------------------------------------
# A sandbox's answers against its own provider contract; `rule` names the failed check.
_register("verify.server-error", E, "The sandbox answered with a 5xx server error.")
_register(
    "verify.status-code", E, "The sandbox answered with a status the contract does not declare."
)
_register(
    "verify.content-type",
    E,
    "The sandbox answered with a Content-Type the contract does not declare.",
)
_register(
    "verify.response-schema", E, "A response body breaks the declared schema (formats asserted)."
)
_register(
    "verify.response-header",
    E,
    "A declared response header is missing (when required) or breaks its schema.",
)
_register("verify.response-malformed", E, "A response declared as JSON is not JSON.")
_register(
    "verify.response-too-large",
    E,
    "A response body is larger than the configured limit (--max-body-bytes).",
)
_register(
    "verify.response-timeout",
    E,
    "The sandbox did not finish answering within the configured timeout.",
)
_register(
    "verify.transport",
    E,
    "The connection failed mid-exchange (reset, protocol error) for this operation.",
)
_register(
    "verify.ignored-auth",
    E,
    "A secured operation accepted a request without credentials or with invalid ones.",
)
_register(
    "verify.unknown-identifier",
    E,
    "The sandbox answered 2xx to a read of an identifier nothing created, though the contract "
    "declares 404 (it invents records).",
)
_register("verify.negative-data", E, "The sandbox accepted (2xx) a request the contract forbids.")
_register(
    "verify.unsupported-method",
    E,
    "The sandbox accepted (or did not refuse with 405) a method the path does not declare.",
)
_register(
    "verify.interop-problem",
    W,
    "An interop mock failed internally (500, X-Interop-Problem): interop's bug, not the "
    "sandbox's defect.",
)
_register(
    "verify.stateful-link",
    E,
    "Following an OpenAPI link from a successful response (create, then read) gave 404.",
)


# --- conform (harness/conform/; docs/conform.md) ------------------------------------------------
# A consumer contract sent as live traffic to a cluster (mock or sandbox), judged as the consumer
# would: the consumer's response schemas are open, as in `check`.
_register(
    "conform.request.rejected",
    E,
    "The cluster refused (4xx) a request the consumer contract allows it to send.",
)
_register("conform.server-error", E, "The cluster answered a consumer's request with a 5xx.")
_register(
    "conform.response.status",
    E,
    "The cluster answered with a status the consumer does not handle (error for 2xx, else "
    "warning).",
)
_register(
    "conform.response.media-type",
    E,
    "The cluster answered with a media type the consumer does not accept.",
)
_register(
    "conform.response.schema",
    E,
    "A response body does not validate against the consumer's schema for that status.",
)
_register(
    "conform.response.header",
    E,
    "A response header the consumer requires is missing or breaks the consumer's schema.",
)
_register("conform.response.malformed", E, "A response the consumer reads as JSON is not JSON.")
_register("conform.response.too-large", E, "A response body is larger than the configured limit.")
_register(
    "conform.transport",
    E,
    "A request got no usable answer: timeout, reset connection or protocol error.",
)
_register(
    "conform.sequence.location",
    E,
    "The Location header of a create does not name a resource the consumer can read.",
)
_register(
    "conform.sequence.identifier",
    E,
    "An identifier the cluster returned does not fit the consumer's path-parameter schema.",
)
_register(
    "conform.sequence.read-back",
    E,
    "What the cluster created cannot be read back as the consumer reads it.",
)
_register(
    "conform.sequence.link",
    E,
    "Following an OpenAPI link the consumer declares did not give a 2xx it can read.",
)
_register(
    "conform.unknown-identifier",
    E,
    "The cluster answered 2xx to a read of an identifier nothing created (it invents records).",
)
_register(
    "conform.pagination",
    E,
    "Walking a list page by page as the consumer does repeats items or never ends.",
)
_register(
    "conform.interop-problem",
    W,
    "An interop mock failed internally (500, X-Interop-Problem): interop's bug, not the cluster's.",
)
_register(
    "conform.incomplete",
    W,
    "The run stopped early (request or time budget): the pair was not fully exercised.",
)
_register(
    "conform.not-exercised",
    W,
    "No request could be generated from the consumer contract for an operation.",
)
_register(
    "conform.event.rejected",
    E,
    "The programme's receiver refused (4xx) or failed on (5xx) an event its contract accepts.",
)
