"""Run results to plain JSON-able dicts and back: the one encoding of the result shape.

The shape is ``schema_version: 1`` (``docs/result.schema.json`` describes it and a test keeps
the two in step). Everything that writes results as JSON (the result file in ``result_file.py``, the
pair cache in ``cache.py``, the renderers, the results database) encodes with these functions,
and everything that reads them back decodes with them, so a record has one JSON form.

Encoding is total and keeps the record's field order; text and key order on disk are the
writer's business. Decoding validates strictly (pydantic: no unknown keys, no coercion), since
JSON from outside enters here; any problem is a one-line :class:`ResultFileError` naming the
source and the field, e.g. ``shard-2.json: not an interop result: findings[3].rule: Field
required``.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ResultFileError
from .policy import STATUS_PATTERN, Policy
from .results import (
    REST,
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    PairStatus,
    QualityScore,
    RunInfo,
    RunResult,
    Severity,
    Target,
)

INTERFACE_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
"""A pair's or finding's ``interface``: ``rest`` or a catalogue interface id (lower-kebab)."""

__all__ = [
    "INTERFACE_PATTERN",
    "SCHEMA_VERSION",
    "TOOL_NAME",
    "contract_from_dict",
    "contract_to_dict",
    "counterexample_from_dict",
    "counterexample_to_dict",
    "finding_from_dict",
    "finding_to_dict",
    "location_from_dict",
    "location_to_dict",
    "pair_from_dict",
    "pair_to_dict",
    "policy_from_dict",
    "policy_to_dict",
    "quality_from_dict",
    "quality_to_dict",
    "result_from_dict",
    "result_to_dict",
    "run_info_to_dict",
    "tool_to_dict",
]

SCHEMA_VERSION = 1
TOOL_NAME = "interop"


# --- records -> dicts -------------------------------------------------------------------------


def location_to_dict(location: Location | None) -> dict[str, Any] | None:
    """``{"file", "pointer", "line"}``, or None for no location."""
    if location is None:
        return None
    return {"file": location.file, "pointer": location.pointer, "line": location.line}


def contract_to_dict(ref: ContractRef) -> dict[str, Any]:
    """``{"file", "version", "sha256"}``: which contract a verdict was reached on."""
    return {"file": ref.file, "version": ref.version, "sha256": ref.sha256}


def counterexample_to_dict(example: Counterexample | None) -> dict[str, Any] | None:
    """``{"in", "value"}`` plus ``name``, ``media_type``, ``status`` and ``path`` when
    present."""
    if example is None:
        return None
    data: dict[str, Any] = {"in": example.where, "value": example.value}
    # Optional detail is written only when present, so that check output stays compact.
    for key, value in (
        ("name", example.name),
        ("media_type", example.media_type),
        ("status", example.status),
    ):
        if value is not None:
            data[key] = value
    if example.path:
        data["path"] = list(example.path)
    return data


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding; ``request``, ``response`` and ``reproduction`` (live evidence) only when
    present."""
    data: dict[str, Any] = {
        "severity": finding.severity.value,
        "rule": finding.rule,
        "message": finding.message,
        "programme": finding.programme,
        "cluster": finding.cluster,
        "operation": finding.operation,
        "consumer_location": location_to_dict(finding.consumer_location),
        "provider_location": location_to_dict(finding.provider_location),
        "counterexample": counterexample_to_dict(finding.counterexample),
        "evidence": finding.evidence,
    }
    for key, value in (
        ("request", finding.request),
        ("response", finding.response),
        ("reproduction", finding.reproduction),
    ):
        if value is not None:
            data[key] = value
    if finding.interface != REST:
        data["interface"] = finding.interface  # absent means rest: older files read the same
    return data


def pair_to_dict(pair: PairResult) -> dict[str, Any]:
    """One pair's verdict, with both contracts and what the verdict rests on; ``interface``
    (a catalogue interface id: ``events``, ``payroll-costing``) is written for the pairs that
    are not REST."""
    data: dict[str, Any] = {
        "programme": pair.programme,
        "cluster": pair.cluster,
        "consumer": contract_to_dict(pair.consumer),
        "provider": contract_to_dict(pair.provider),
        "status": pair.status.value,
        "operations": list(pair.operations),
        "evidence": list(pair.evidence),
    }
    if pair.interface != REST:
        data["interface"] = pair.interface
    return data


def quality_to_dict(score: QualityScore) -> dict[str, Any]:
    """A quality score with its breakdown as ``{"criterion", "earned", "possible"}`` rows."""
    return {
        "subject": score.subject,
        "kind": score.kind,
        "file": score.file,
        "score": score.score,
        "breakdown": [
            {"criterion": criterion, "earned": earned, "possible": possible}
            for criterion, earned, possible in score.breakdown
        ],
    }


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """``{"unhandled_error_statuses": "warn" | "ignore" | ["404", "5XX", ...]}``: the judgement
    policy a run's verdicts were reached under (statuses upper-cased and sorted, as
    :class:`~interop.harness.policy.Policy` keeps them)."""
    setting = policy.unhandled_error_statuses
    return {"unhandled_error_statuses": setting if isinstance(setting, str) else list(setting)}


def run_info_to_dict(run: RunInfo) -> dict[str, Any]:
    """How the run was made: command, seed, start, duration, ``max_examples``, shard, the
    target of a live run (the key is left out for static runs) and the judgement policy of a
    run that applied one (left out for ``verify`` and ``lint``)."""
    out: dict[str, Any] = {
        "command": run.command,
        "seed": run.seed,
        "started": run.started,
        "duration_s": run.duration_s,
        "max_examples": run.max_examples,
        "shard": run.shard,
    }
    if run.target is not None:
        out["target"] = {"url": run.target.url, "mock": run.target.mock}
    if run.policy is not None:
        out["policy"] = policy_to_dict(run.policy)
    return out


def tool_to_dict(version: str) -> dict[str, str]:
    """``{"name": "interop", "version": version}``, as every interop document says who wrote it."""
    return {"name": TOOL_NAME, "version": version}


def result_to_dict(result: RunResult) -> dict[str, Any]:
    """The JSON document for ``result``, records in their given order (``store.dumps_result``
    writes the normalised order)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": tool_to_dict(result.tool_version),
        "run": run_info_to_dict(result.run),
        "pairs": [pair_to_dict(pair) for pair in result.pairs],
        "findings": [finding_to_dict(finding) for finding in result.findings],
        "quality": [quality_to_dict(score) for score in result.quality],
    }


# --- the shape, as pydantic models (decoding) -------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Tool(_Model):
    name: Literal["interop"]
    version: str


class _Target(_Model):
    url: str
    mock: str | None = None


class _Policy(_Model):
    unhandled_error_statuses: str | list[str]

    @field_validator("unhandled_error_statuses")
    @classmethod
    def _setting(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, str):
            if value not in ("warn", "ignore"):
                raise ValueError("must be warn, ignore or a list of statuses")
            return value
        bad = [status for status in value if not STATUS_PATTERN.match(status)]
        if bad:
            raise ValueError(f"{', '.join(bad)}: not a non-2xx status or range (e.g. 404, 4XX)")
        if len(set(value)) != len(value):
            raise ValueError("statuses must not repeat")
        return value


class _Run(_Model):
    command: str
    seed: int
    started: str
    duration_s: float = Field(ge=0)
    max_examples: int | None = None
    shard: str | None = None
    target: _Target | None = None
    # Absent for runs that judge nothing with a policy, and in files written before runs
    # recorded theirs.
    policy: _Policy | None = None


class _Contract(_Model):
    file: str
    version: str
    sha256: str


class _Pair(_Model):
    programme: str
    cluster: str
    consumer: _Contract
    provider: _Contract
    status: Literal["compatible", "incompatible", "undecided", "error"]
    operations: list[str] = []
    # Absent in files written before conform: their verdicts rest on schema comparison alone.
    evidence: list[Literal["static", "live"]] = Field(default=["static"], min_length=1)
    # Absent in files written before events and files were checked, and for REST pairs.
    interface: str = Field(default=REST, pattern=INTERFACE_PATTERN)

    @field_validator("evidence")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("evidence kinds must not repeat")
        return value


class _Location(_Model):
    file: str
    pointer: str
    line: int | None = None


class _Counterexample(_Model):
    in_: str = Field(alias="in")
    value: Any = None
    name: str | None = None
    media_type: str | None = None
    status: str | None = None
    path: list[str | int] = []


class _Finding(_Model):
    severity: Literal["error", "warning", "info"]
    rule: str
    message: str
    programme: str | None = None
    cluster: str | None = None
    operation: str | None = None
    consumer_location: _Location | None = None
    provider_location: _Location | None = None
    counterexample: _Counterexample | None = None
    evidence: str = "static"
    request: dict[str, Any] | None = None
    response: dict[str, Any] | None = None
    reproduction: str | None = None
    interface: str = Field(default=REST, pattern=INTERFACE_PATTERN)


class _Criterion(_Model):
    criterion: str
    earned: int
    possible: int


class _Quality(_Model):
    subject: str
    kind: str
    file: str
    score: int
    breakdown: list[_Criterion] = []


class _Result(_Model):
    schema_version: Literal[1]
    tool: _Tool
    run: _Run
    pairs: list[_Pair] = []
    findings: list[_Finding] = []
    quality: list[_Quality] = []


# --- models -> records ------------------------------------------------------------------------


def _location(model: _Location | None) -> Location | None:
    if model is None:
        return None
    return Location(file=model.file, pointer=model.pointer, line=model.line)


def _contract(model: _Contract) -> ContractRef:
    return ContractRef(file=model.file, version=model.version, sha256=model.sha256)


def _counterexample(model: _Counterexample | None) -> Counterexample | None:
    if model is None:
        return None
    return Counterexample(
        where=model.in_,
        value=model.value,
        name=model.name,
        media_type=model.media_type,
        status=model.status,
        path=tuple(model.path),
    )


def _finding(model: _Finding) -> Finding:
    return Finding(
        severity=Severity(model.severity),
        rule=model.rule,
        message=model.message,
        programme=model.programme,
        cluster=model.cluster,
        operation=model.operation,
        consumer_location=_location(model.consumer_location),
        provider_location=_location(model.provider_location),
        counterexample=_counterexample(model.counterexample),
        evidence=model.evidence,
        request=model.request,
        response=model.response,
        reproduction=model.reproduction,
        interface=model.interface,
    )


def _pair(model: _Pair) -> PairResult:
    return PairResult(
        programme=model.programme,
        cluster=model.cluster,
        consumer=_contract(model.consumer),
        provider=_contract(model.provider),
        status=PairStatus(model.status),
        operations=tuple(model.operations),
        evidence=tuple(model.evidence),
        interface=model.interface,
    )


def _quality(model: _Quality) -> QualityScore:
    return QualityScore(
        subject=model.subject,
        kind=model.kind,
        file=model.file,
        score=model.score,
        breakdown=tuple((c.criterion, c.earned, c.possible) for c in model.breakdown),
    )


def _policy(model: _Policy | None) -> Policy | None:
    if model is None:
        return None
    setting = model.unhandled_error_statuses
    if isinstance(setting, list):
        return Policy(unhandled_error_statuses=tuple(setting))
    return Policy(unhandled_error_statuses="ignore" if setting == "ignore" else "warn")


def _run(model: _Run) -> RunInfo:
    return RunInfo(
        command=model.command,
        seed=model.seed,
        started=model.started,
        duration_s=model.duration_s,
        max_examples=model.max_examples,
        shard=model.shard,
        target=Target(url=model.target.url, mock=model.target.mock) if model.target else None,
        policy=_policy(model.policy),
    )


# --- dicts -> records -------------------------------------------------------------------------

_M = TypeVar("_M", bound=_Model)


def _describe(error: ValidationError) -> str:
    """The first pydantic error as ``findings[3].rule: Field required``."""
    first = error.errors()[0]
    path = ""
    for part in first["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path or 'document'}: {first['msg']}{suffix}"


def _validate(model: type[_M], data: Any, source: str) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ResultFileError(source, f"not an interop result: {_describe(exc)}") from exc


def location_from_dict(data: Any, *, source: str = "<location>") -> Location | None:
    """The inverse of :func:`location_to_dict`; :class:`ResultFileError` if ``data`` is not one."""
    return None if data is None else _location(_validate(_Location, data, source))


def contract_from_dict(data: Any, *, source: str = "<contract>") -> ContractRef:
    """The inverse of :func:`contract_to_dict`; :class:`ResultFileError` if ``data`` is not one."""
    return _contract(_validate(_Contract, data, source))


def counterexample_from_dict(
    data: Any, *, source: str = "<counterexample>"
) -> Counterexample | None:
    """The inverse of :func:`counterexample_to_dict`; :class:`ResultFileError` if not one."""
    return None if data is None else _counterexample(_validate(_Counterexample, data, source))


def finding_from_dict(data: Any, *, source: str = "<finding>") -> Finding:
    """The inverse of :func:`finding_to_dict`; :class:`ResultFileError` if ``data`` is not one."""
    return _finding(_validate(_Finding, data, source))


def pair_from_dict(data: Any, *, source: str = "<pair>") -> PairResult:
    """The inverse of :func:`pair_to_dict`; :class:`ResultFileError` if ``data`` is not one.
    A pair without ``evidence`` (written before conform) rests on static evidence."""
    return _pair(_validate(_Pair, data, source))


def policy_from_dict(data: Any, *, source: str = "<policy>") -> Policy:
    """The inverse of :func:`policy_to_dict`; :class:`ResultFileError` if ``data`` is not one."""
    policy = _policy(_validate(_Policy, data, source))
    assert policy is not None
    return policy


def quality_from_dict(data: Any, *, source: str = "<quality>") -> QualityScore:
    """The inverse of :func:`quality_to_dict`; :class:`ResultFileError` if ``data`` is not one."""
    return _quality(_validate(_Quality, data, source))


def result_from_dict(data: Any, *, source: str = "<result>") -> RunResult:
    """A RunResult from a parsed JSON document; :class:`ResultFileError` if it is not one."""
    if isinstance(data, dict) and data.get("schema_version", SCHEMA_VERSION) != SCHEMA_VERSION:
        raise ResultFileError(
            source,
            f"schema_version {data.get('schema_version')!r} is not supported "
            f"(this interop reads schema_version {SCHEMA_VERSION})",
        )
    model = _validate(_Result, data, source)
    return RunResult(
        tool_version=model.tool.version,
        run=_run(model.run),
        pairs=tuple(_pair(pair) for pair in model.pairs),
        findings=tuple(_finding(finding) for finding in model.findings),
        quality=tuple(_quality(score) for score in model.quality),
    )
