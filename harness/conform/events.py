"""``interop conform --events``: a cluster's events sent to a programme's receiver.

The other way round from ``conform``: the cluster's AsyncAPI contract generates events, and the
programme's receiver answers them. For every channel the consumer contract receives on, every
message the provider sends there is generated from the provider's schemas (payload and
headers: hypothesis, seeded, through the engine's JSON Schema strategies), kept only when the
consumer contract accepts it (one of its messages on the channel validates the payload and the
headers), signed where the provider's contract says (``x-interop-signature``), and POSTed to the
receiver (``base_url``, or an in-process transport). The receiver's answer is judged:

- a 4xx or 5xx to an event the consumer contract accepts: ``conform.event.rejected``, with the
  event (shrunk by hypothesis to a minimal failing one) as the request and a curl reproduction;
- no answer in time: ``conform.transport``.

The pair is also judged statically (``check`` on the two AsyncAPI documents), as ``conform``
does for REST pairs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from ..asyncapi import AsyncApiModel, AsyncOperation, Message, asyncapi_model
from ..asyncapi.signing import DEFAULT_SIGNING_SECRET, sign, signing_secret
from ..check import adhoc_interface, check_pair
from ..compat.generate import strategy_for
from ..distribution import tool_version
from ..errors import ContractError, UsageError
from ..loading import LoadedContract, load_contract
from ..policy import DEFAULT_POLICY, Policy
from ..results import Finding, RunInfo, RunResult, Target
from ..rules import rule
from ..schema import CompiledValidator, SchemaSet
from ..types import JsonValue
from ..verify.findings import Observation, merge
from ..verify.redaction import Redactor
from ..verify.transport import Exchange, SentRequest, send
from .run import ConformOptions, Progress, conformed_status

__all__ = ["EVENT_USER_AGENT", "conform_events"]

EVENT_USER_AGENT = "interop-conform-events"
_MAX_DISTINCT = 8


@dataclass(slots=True)
class _Compiled:
    """One message's schemas, compiled once."""

    payload: Any = None
    """A hypothesis strategy (sender) or a validator (receiver); None: anything."""
    headers: Any = None


@dataclass
class _State:
    sent: int = 0
    answered: int = 0
    observations: list[Observation] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    """What could not be exercised (no request to show)."""


class _Failed(Exception):
    """Raised inside the property so that hypothesis shrinks the event that caused it."""


def conform_events(
    consumer_file: Path,
    provider_file: Path,
    *,
    base_url: str | None = None,
    transport: httpx.BaseTransport | None = None,
    secret: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    options: ConformOptions | None = None,
    programme: str | None = None,
    cluster: str | None = None,
    interface: str | None = None,
    command: str = "interop conform --events",
    progress: Progress | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> RunResult:
    """Send the provider's events the consumer accepts to the consumer's receiver, at
    ``base_url`` (over HTTP) or through ``transport`` (in process; ``base_url`` then names it
    in reports), and judge its answers. Both files must be AsyncAPI documents.

    ``interface``: the catalogue's id of the cluster's event interface the pair is about
    (default: as an ad-hoc ``check`` names an AsyncAPI pair, ``events``). ``policy``: the
    catalogue's judgement policy for the static verdict (default: the documented rules, as for
    an ad-hoc ``check``), recorded on the result."""
    options = options or ConformOptions()
    options.validate()
    if base_url is None and transport is None:
        raise UsageError("--events needs the receiver: give --base-url (the programme's service)")
    consumer = load_contract(consumer_file)
    provider = load_contract(provider_file)
    for contract in (consumer, provider):
        if contract.kind != "asyncapi":
            raise UsageError(
                f"{contract.file}: --events takes AsyncAPI documents (this is {contract.kind})"
            )
    programme = programme or _meta(consumer, "programme") or Path(consumer_file).stem
    cluster = cluster or _meta(consumer, "cluster") or Path(provider_file).stem
    url = base_url or "http://receiver.interop.test/"
    secret = signing_secret(secret)
    redactor = Redactor.for_run(headers, url)
    if secret != DEFAULT_SIGNING_SECRET:  # the user's secret: never in the command shown
        redactor = dataclasses.replace(redactor, extra_secrets=(*redactor.extra_secrets, secret))
    clock = time.perf_counter()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")

    def say(line: str) -> None:
        if progress is not None:
            progress(redactor.text(line))

    static_pair, static = check_pair(
        consumer,
        provider,
        programme=programme,
        cluster=cluster,
        seed=options.seed,
        max_examples=options.max_examples,
        policy=policy,
    )
    session = _EventSession(
        consumer=consumer,
        provider=provider,
        url=url,
        headers=tuple(headers),
        secret=secret,
        options=options,
    )
    with (
        httpx.Client(transport=transport, follow_redirects=False, trust_env=False)
        if transport is not None
        else httpx.Client(follow_redirects=False, trust_env=False)
    ) as client:
        state = session.run(client, say)
    if base_url is not None and state.sent and not state.answered:
        from ..errors import SandboxError

        raise SandboxError(
            f"receiver {redactor.url(base_url)} did not answer any of {state.sent} event(s)"
        )
    live = [
        dataclasses.replace(
            finding,
            programme=programme,
            consumer_location=finding.provider_location,
            provider_location=None,
        )
        for finding in merge(state.observations, redactor, cluster=cluster)
    ]
    live.extend(
        dataclasses.replace(note, programme=programme, cluster=cluster) for note in state.notes
    )
    interface = interface or adhoc_interface(consumer, Path(provider_file))
    findings = tuple(
        sorted(
            (dataclasses.replace(f, interface=interface) for f in (*static, *live)),
            key=Finding.sort_key,
        )
    )
    status = conformed_status(static_pair, findings)
    pair = dataclasses.replace(
        static_pair, status=status, evidence=("static", "live"), interface=interface
    )
    say(f"conform --events: {state.sent} events sent, {len(findings)} findings")
    return RunResult(
        tool_version=tool_version(),
        run=RunInfo(
            command=redactor.text(command),
            seed=options.seed,
            started=started,
            duration_s=round(time.perf_counter() - clock, 3),
            max_examples=options.max_examples,
            target=Target(url=redactor.url(url), mock=None),
            policy=policy,
        ),
        pairs=(pair,),
        findings=findings,
    )


def _meta(contract: LoadedContract, key: str) -> str | None:
    meta = contract.document.get("x-interop")
    value = meta.get(key) if isinstance(meta, dict) else None
    return str(value) if value else None


@dataclass
class _EventSession:
    consumer: LoadedContract
    provider: LoadedContract
    url: str
    headers: tuple[tuple[str, str], ...]
    secret: str
    options: ConformOptions
    _consumer_schemas: SchemaSet = field(init=False)
    _provider_schemas: SchemaSet = field(init=False)

    def __post_init__(self) -> None:
        self._consumer_schemas = SchemaSet(self.consumer)
        self._provider_schemas = SchemaSet(self.provider)

    def run(self, client: httpx.Client, say: Callable[[str], None]) -> _State:
        state = _State()
        consumer_model = asyncapi_model(self.consumer)
        provider_model = asyncapi_model(self.provider)
        for op in consumer_model.operations:
            if op.action != "receive":
                continue
            sent = provider_model.messages_on(op.channel.key, "send")
            accepting = consumer_model.messages_on(op.channel.key, "receive")
            for message in sent:
                before = state.sent
                self._property(client, state, provider_model, op, message, accepting)
                say(f"{op.label}: {message.name}: {state.sent - before} event(s) sent")
        return state

    # -- one message's property -------------------------------------------------------------
    def _property(
        self,
        client: httpx.Client,
        state: _State,
        provider_model: AsyncApiModel,
        op: AsyncOperation,
        message: Message,
        accepting: tuple[Message, ...],
    ) -> None:
        strategies = self._strategies(message)
        if strategies is None:
            return
        readers = [r for r in (self._validators(m) for m in accepting) if r is not None]
        location = self.consumer.location(accepting[0].pointer if accepting else op.pointer)
        found: dict[type[_Failed], Observation] = {}
        kinds: dict[tuple[str, Any], type[_Failed]] = {}

        @hypothesis_seed(self.options.seed)
        @settings(
            max_examples=self.options.max_examples,
            database=None,
            deadline=None,
            derandomize=False,
            phases=(Phase.explicit, Phase.generate, Phase.shrink),
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=True,
        )
        @given(st.tuples(strategies.payload, strategies.headers))
        def deliver(drawn: tuple[JsonValue, JsonValue]) -> None:
            payload, header_values = drawn
            assume(_accepted(readers, payload, header_values))
            request = self._request(provider_model, message, payload, header_values)
            exchange = send(
                client,
                request,
                timeout_s=self.options.timeout_s,
                max_body_bytes=self.options.max_body_bytes,
            )
            state.sent += 1
            if exchange.status is not None:
                state.answered += 1
            observation = _judge(op, message, exchange, location)
            if observation is None:
                return
            identity = (observation.rule, observation.key)
            kind = kinds.get(identity)
            if kind is None:
                if len(kinds) >= _MAX_DISTINCT:
                    kind = _Failed
                else:
                    kind = type(f"_Failed{len(kinds)}", (_Failed,), {})
                    kinds[identity] = kind
            found[kind] = observation  # the last one seen is the shrunk, minimal one
            raise kind(observation.message)

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                deliver()
        except _Failed:
            pass
        except BaseExceptionGroup as group:  # several distinct failures, each shrunk
            if not all(isinstance(e, _Failed) for e in group.exceptions):
                raise
        except Exception as exc:  # hypothesis could not generate: say so, judge nothing
            if not found:
                state.notes.append(_not_exercised(op, message, exc, location))
        state.observations.extend(found.values())

    def _strategies(self, message: Message) -> _Compiled | None:
        try:
            payload = (
                strategy_for(self._provider_schemas.schema(message.payload_pointer, "response"))
                if message.payload_pointer is not None
                else st.just({})
            )
            headers = (
                strategy_for(self._provider_schemas.schema(message.headers_pointer, "response"))
                if message.headers_pointer is not None
                else st.just({})
            )
        except (ContractError, ValueError):
            return None
        return _Compiled(payload, headers)

    def _validators(self, message: Message) -> _Compiled | None:
        try:
            payload = (
                self._consumer_schemas.validator(message.payload_pointer, "request")
                if message.payload_pointer is not None
                else None
            )
            headers = (
                self._consumer_schemas.validator(message.headers_pointer, "request")
                if message.headers_pointer is not None
                else None
            )
        except ContractError:
            return None
        return _Compiled(payload, headers)

    def _request(
        self,
        provider_model: AsyncApiModel,
        message: Message,
        payload: JsonValue,
        header_values: JsonValue,
    ) -> SentRequest:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        sent: list[tuple[str, str]] = [("User-Agent", EVENT_USER_AGENT)]
        if isinstance(header_values, dict):
            for name, value in header_values.items():
                text = _header_text(value)
                if text is not None and name.lower() not in ("content-type", "content-length"):
                    sent.append((str(name), text))
        sent.append(("Content-Type", message.content_type))
        signature = provider_model.signature
        if signature is not None:
            sent.append(sign(signature, body, self.secret))
        sent.extend(self.headers)
        return SentRequest("POST", self.url, tuple(sent), body, message.content_type)


def _accepted(readers: list[_Compiled], payload: JsonValue, headers: JsonValue) -> bool:
    """The consumer contract accepts the event: one of its messages takes payload and headers
    (a consumer that declares no message takes anything)."""
    if not readers:
        return True
    text_headers = (
        {k: _header_text(v) for k, v in headers.items()} if isinstance(headers, dict) else {}
    )
    for reader in readers:
        payload_ok = reader.payload is None or reader.payload.is_valid(payload)
        headers_ok = reader.headers is None or _valid(reader.headers, headers, text_headers)
        if payload_ok and headers_ok:
            return True
    return False


def _valid(validator: CompiledValidator, raw: JsonValue, text: dict[str, str | None]) -> bool:
    # Headers travel as text: a reader typing a header as a string takes the text.
    return bool(validator.is_valid(raw) or validator.is_valid(text))


def _judge(
    op: AsyncOperation, message: Message, exchange: Exchange, location: Any
) -> Observation | None:
    status = exchange.status
    if status is None or (exchange.problem is not None and exchange.problem.kind != "too-large"):
        detail = exchange.problem.detail if exchange.problem is not None else "no answer"
        return Observation(
            "conform.transport",
            op.label,
            (message.name, exchange.problem.kind if exchange.problem else None),
            f"{op.label}: the receiver did not answer the `{message.name}` event ({detail})",
            exchange,
            location=location,
        )
    if status < 400:
        return None
    what = "a server error" if status >= 500 else "a refusal"
    return Observation(
        "conform.event.rejected",
        op.label,
        (message.name, status),
        f"{op.label}: the receiver answered {status} ({what}) to a `{message.name}` event that "
        f"the consumer contract accepts{_detail(exchange)}",
        exchange,
        location=location,
    )


def _not_exercised(
    op: AsyncOperation, message: Message, exc: BaseException, location: Any
) -> Finding:
    text = " ".join(str(exc).split())[:300] or type(exc).__name__
    return Finding(
        severity=rule("conform.not-exercised").severity,
        rule="conform.not-exercised",
        message=f"{op.label}: no `{message.name}` event the consumer accepts could be "
        f"generated ({text})",
        operation=op.label,
        consumer_location=location,
        evidence="live",
    )


def _detail(exchange: Exchange) -> str:
    if not exchange.body:
        return ""
    text = " ".join(exchange.body[:300].decode("utf-8", errors="replace").split())
    return f": {text}"


def _header_text(value: JsonValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)
