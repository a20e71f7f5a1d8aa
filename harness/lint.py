"""``interop lint``: malformed or incomplete contracts as findings, and a data-quality score.

Lints the given files (a directory holding ``catalogue.yaml`` is linted as a catalogue; any other
directory for the OpenAPI documents inside it), or, with no paths, the whole catalogue: every
cluster version, every consumer contract and every programme sidecar. Errors (a contract that
does not load or is invalid) make the run exit 1; warnings (incomplete data) do not. Every
contract and programme gets a ``QualityScore``. The rules are documented in ``docs/lint.md``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogue import PROGRAMME_FILE, Catalogue, ProgrammeMeta, load_catalogue
from .distribution import tool_version
from .errors import ContractError, InvalidContract
from .loading import LoadedContract, load_contract
from .parsing import DEFAULT_LIMITS, Limits, parse_file
from .quality import (
    OperationFacts,
    operation_facts,
    score_consumer,
    score_failed,
    score_programme,
    score_provider,
)
from .results import Finding, Location, QualityScore, RunInfo, RunResult
from .rules import rule
from .validation import validate_contract

__all__ = ["catalogue_quality", "lint", "lint_contract"]

_CONTRACT_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True, slots=True)
class _Role:
    """What a contract is in the catalogue: who provides or consumes it."""

    kind: str  # "provider" or "consumer"
    subject: str
    programme: str | None = None
    cluster: str | None = None
    has_metadata: bool = False


def lint(
    paths: Sequence[Path] = (),
    *,
    catalogue_dir: Path | None = None,
    allow_remote: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    command: str = "interop lint",
) -> RunResult:
    """Lint ``paths``, or the catalogue (``catalogue_dir`` or the default one) when empty.

    Raises ``CatalogueError`` when the catalogue index or a programme sidecar cannot be read
    at all (bad input, exit 2); every problem with a contract is a finding instead.
    """
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    run = _Run(allow_remote=allow_remote, limits=limits)
    if not paths:
        run.catalogue(load_catalogue(catalogue_dir))
    for path in paths:
        path = Path(path)
        if path.is_dir() and (path / "catalogue.yaml").is_file():
            run.catalogue(load_catalogue(path))
        elif path.is_dir():
            run.directory(path)
        elif path.name == PROGRAMME_FILE:
            run.sidecar(path)
        else:
            run.contract(path, _role_from_path(path), quiet_fragments=False)
    return RunResult(
        tool_version=tool_version(),
        run=RunInfo(
            command=command,
            seed=0,
            started=started.isoformat(timespec="seconds"),
            duration_s=round(time.perf_counter() - clock, 3),
        ),
        findings=tuple(sorted(run.findings, key=Finding.sort_key)),
        quality=_sorted_scores(run.quality),
    )


def catalogue_quality(catalogue: Catalogue) -> tuple[QualityScore, ...]:
    """The catalogue's data-quality table: a score for every cluster version, consumer contract
    and programme, exactly as ``lint`` of the whole catalogue scores them.

    ``check`` puts it in its result, so that the reviewer's report shows how good the data
    behind the matrix is.
    """
    run = _Run(allow_remote=False, limits=DEFAULT_LIMITS)
    run.catalogue(catalogue)
    return _sorted_scores(run.quality)


def _sorted_scores(scores: list[QualityScore]) -> tuple[QualityScore, ...]:
    return tuple(sorted(scores, key=lambda q: (q.kind, q.subject, q.file)))


def lint_contract(
    contract: LoadedContract, *, kind: str = "provider", subject: str | None = None
) -> tuple[list[Finding], QualityScore]:
    """Lint one already-loaded contract (library use): its findings and its score."""
    role = _Role(kind=kind, subject=subject or contract.file)
    run = _Run(allow_remote=False, limits=DEFAULT_LIMITS)
    score = run.loaded(contract, role)
    return sorted(run.findings, key=Finding.sort_key), score


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _role_from_path(path: Path) -> _Role:
    """Outside a catalogue: a consumer if it says so (``x-interop``) or sits in a programme
    folder, else a provider (or a contract of unknown role, linted as one)."""
    parts = path.resolve().parts
    shown = _display(path)
    if "programmes" in parts:
        index = len(parts) - 1 - parts[::-1].index("programmes")
        programme = parts[index + 1] if index + 2 < len(parts) else None
        sidecar = path.parent / PROGRAMME_FILE
        return _Role(
            kind="consumer",
            subject=f"{programme} -> {path.stem}" if programme else shown,
            programme=programme,
            cluster=path.stem,
            has_metadata=sidecar.is_file(),
        )
    if "clusters" in parts:
        index = len(parts) - 1 - parts[::-1].index("clusters")
        cluster = parts[index + 1] if index + 2 < len(parts) else None
        if cluster:
            return _Role(kind="provider", subject=f"{cluster} {path.stem}", cluster=cluster)
    return _Role(kind="provider", subject=shown)


@dataclass(slots=True)
class _Run:
    allow_remote: bool
    limits: Limits
    findings: list[Finding] = dataclasses.field(default_factory=list)
    quality: list[QualityScore] = dataclasses.field(default_factory=list)

    # -- what to lint ---------------------------------------------------------------------
    def catalogue(self, catalogue: Catalogue) -> None:
        for cid, cluster in sorted(catalogue.clusters.items()):
            for version, file in sorted(cluster.versions.items()):
                contract = self.contract(
                    file,
                    _Role(kind="provider", subject=f"{cid} {version}", cluster=cid),
                    display=catalogue.display(file),
                )
                if contract is not None and contract.version != version:
                    self._catalogue_problem(
                        f"catalogue lists {cid} version {version} but the contract's info.version "
                        f"is {contract.version!r}",
                        contract.location("/info/version"),
                        cluster=cid,
                    )
            for iid, interface in sorted(cluster.interfaces.items()):
                for version, file in sorted(interface.versions.items()):
                    self.contract(
                        file,
                        _Role(kind="provider", subject=f"{cid} {iid} {version}", cluster=cid),
                        display=catalogue.display(file),
                    )
        for pid, programme in sorted(catalogue.programmes.items()):
            sidecar = catalogue.display(programme.directory / PROGRAMME_FILE)
            scores: list[QualityScore] = []
            for (cid, iid), file in sorted(programme.interface_consumers.items()):
                role = _Role(
                    kind="consumer",
                    subject=f"{pid} -> {cid} {iid}",
                    programme=pid,
                    cluster=cid,
                    has_metadata=True,
                )
                before = len(self.quality)
                self.contract(file, role, display=catalogue.display(file))
                scores.extend(self.quality[before:])
            for cid, file in sorted(programme.consumers.items()):
                role = _Role(
                    kind="consumer",
                    subject=f"{pid} -> {cid}",
                    programme=pid,
                    cluster=cid,
                    has_metadata=True,
                )
                before = len(self.quality)
                contract = self.contract(file, role, display=catalogue.display(file))
                scores.extend(self.quality[before:])
                if contract is not None:
                    self._check_x_interop(contract, pid, cid)
            self._programme(pid, programme.meta, sidecar, scores)

    def directory(self, folder: Path) -> None:
        files = sorted(
            p for p in folder.rglob("*") if p.suffix.lower() in _CONTRACT_SUFFIXES and p.is_file()
        )
        for file in files:
            if file.name == PROGRAMME_FILE:
                self.sidecar(file)
            elif file.name != "catalogue.yaml":
                self.contract(file, _role_from_path(file), quiet_fragments=True)

    def sidecar(self, path: Path) -> None:
        shown = _display(path)
        try:
            parsed = parse_file(path, display=shown, limits=self.limits)
            meta = ProgrammeMeta.model_validate(parsed.data)
        except ContractError as exc:
            self._error(
                "lint.load-failed",
                exc.problem,
                Location(file=shown, pointer=exc.pointer, line=exc.line),
                kind="consumer",
            )
            return
        except ValueError as exc:  # pydantic's ValidationError
            problem = str(exc).splitlines()
            self._error(
                "lint.catalogue-invalid",
                f"programme sidecar is invalid: {' '.join(problem[:3])}",
                Location(file=shown, pointer="", line=None),
                kind="consumer",
            )
            return
        self._programme(path.parent.name, meta, shown, [])

    def contract(
        self,
        path: Path,
        role: _Role,
        *,
        display: str | None = None,
        quiet_fragments: bool = False,
    ) -> LoadedContract | None:
        shown = display or _display(path)
        try:
            contract = load_contract(
                path, display=shown, allow_remote=self.allow_remote, limits=self.limits
            )
        except InvalidContract as exc:
            if quiet_fragments and "no 'openapi' or 'swagger' key" in exc.problem:
                return None  # a $ref target inside a multi-file contract, not a contract
            self._load_failed(exc, role, shown)
            return None
        except ContractError as exc:
            self._load_failed(exc, role, shown)
            return None
        meta = contract.document.get("x-interop")
        if isinstance(meta, dict) and not role.has_metadata and "programme" in meta:
            # Outside a catalogue, the x-interop extension is what says "consumer".
            programme = str(meta.get("programme") or role.programme or "") or None
            cluster = str(meta.get("cluster") or role.cluster or "") or None
            role = _Role(
                kind="consumer",
                subject=f"{programme} -> {cluster}" if programme and cluster else role.subject,
                programme=programme,
                cluster=cluster,
                has_metadata=True,
            )
        self.loaded(contract, role)
        return contract

    # -- what to say about it -------------------------------------------------------------
    def loaded(self, contract: LoadedContract, role: _Role) -> QualityScore:
        if contract.kind != "openapi":
            return self._event_document(contract, role)
        for finding in validate_contract(contract):
            self._add(finding, role)
        for location, message in contract.warnings:
            self._warn("lint.loader-tolerated", message, location, role)
        if contract.source_format == "2.0":
            self._warn(
                "lint.swagger2-converted",
                "Swagger 2.0 contract: interop converted it to OpenAPI 3.0 to read it; "
                "publish OpenAPI 3 to be read as written",
                contract.source_location("/swagger"),
                role,
            )
        elif contract.source_format == "3.2":
            self._warn(
                "lint.openapi-3-2",
                "OpenAPI 3.2 is read with the 3.1 rules; 3.2-only fields are ignored",
                contract.location("/openapi"),
                role,
            )
        facts = operation_facts(contract)
        self._completeness(contract, role, facts)
        if role.kind == "consumer":
            if not role.has_metadata:
                self._warn(
                    "lint.consumer-metadata-missing",
                    "consumer contract has no x-interop extension (programme, cluster) and no "
                    f"{PROGRAMME_FILE} beside it: reports cannot say whose it is",
                    contract.location(""),
                    role,
                )
            score = score_consumer(
                contract, subject=role.subject, has_metadata=role.has_metadata, facts=facts
            )
        else:
            score = score_provider(contract, subject=role.subject, facts=facts)
        self.quality.append(score)
        return score

    def _completeness(
        self, contract: LoadedContract, role: _Role, facts: list[OperationFacts]
    ) -> None:
        info = contract.document.get("info")
        if not (
            isinstance(info, dict)
            and isinstance(info.get("description"), str)
            and info["description"].strip()
        ):
            self._warn(
                "lint.description-missing",
                "the contract has no info.description",
                contract.location("/info"),
                role,
            )
        for fact in facts:
            where = contract.location(fact.pointer)
            if not fact.described:
                self._warn(
                    "lint.description-missing",
                    "operation has no summary or description",
                    where,
                    role,
                    operation=fact.key,
                )
            if not fact.operation_id:
                self._warn(
                    "lint.operation-id-missing",
                    "operation has no operationId",
                    where,
                    role,
                    operation=fact.key,
                )
            if not fact.error_responses:
                self._warn(
                    "lint.error-responses-missing",
                    "operation declares no error response (4xx, 5xx or default)"
                    + ("" if role.kind == "provider" else ": the programme handles no failure"),
                    where,
                    role,
                    operation=fact.key,
                )
            if not fact.secured and not fact.deliberately_open:
                self._warn(
                    "lint.security-missing",
                    "no security requirement applies to this operation "
                    "(declare one, or security: [] if it is public on purpose)",
                    where,
                    role,
                    operation=fact.key,
                )
        without = [f.key for f in facts if not f.example]
        if role.kind == "provider" and without:
            listed = ", ".join(without[:3]) + (
                f" and {len(without) - 3} more" if len(without) > 3 else ""
            )
            self._warn(
                "lint.examples-missing",
                f"{len(without)} of {len(facts)} operations have no example: {listed}",
                contract.location("/paths"),
                role,
            )

    def _check_x_interop(self, contract: LoadedContract, programme: str, cluster: str) -> None:
        meta = contract.document.get("x-interop")
        if not isinstance(meta, dict):
            return
        for key, expected in (("programme", programme), ("cluster", cluster)):
            value = meta.get(key)
            if value is not None and value != expected:
                self._catalogue_problem(
                    f"x-interop.{key} is {value!r} but the catalogue files this contract under "
                    f"{key} {expected!r}",
                    contract.location(f"/x-interop/{key}"),
                    programme=programme,
                    cluster=cluster,
                    kind="consumer",
                )

    def _programme(
        self, pid: str, meta: ProgrammeMeta, sidecar: str, scores: list[QualityScore]
    ) -> None:
        where = Location(file=sidecar, pointer="", line=None)
        if meta.go_live is None:
            self._warn(
                "lint.go-live-missing",
                "programme has no target go-live date (go_live)",
                where,
                _Role(kind="consumer", subject=pid, programme=pid),
            )
        if not meta.contact:
            self._warn(
                "lint.contact-missing",
                "programme has no contact",
                where,
                _Role(kind="consumer", subject=pid, programme=pid),
            )
        self.quality.append(score_programme(pid, meta, file=sidecar, consumer_scores=scores))

    # -- findings -------------------------------------------------------------------------
    def _event_document(self, contract: LoadedContract, role: _Role) -> QualityScore:
        """An AsyncAPI document or a standalone JSON Schema (``asyncapi/lint.py``)."""
        from .asyncapi.lint import document_problems, score_document

        for problem in document_problems(contract):
            self._warn(problem.rule, problem.message, contract.location(problem.pointer), role)
        score = score_document(contract, subject=role.subject, kind=role.kind)
        self.quality.append(score)
        return score

    def _load_failed(self, exc: ContractError, role: _Role, shown: str) -> None:
        location = Location(file=exc.file or shown, pointer=exc.pointer, line=exc.line)
        self._add(
            Finding(
                severity=rule("lint.load-failed").severity,
                rule="lint.load-failed",
                message=f"{type(exc).__name__}: {exc.problem}",
                provider_location=location,
            ),
            role,
        )
        self.quality.append(score_failed(role.subject, role.kind, shown))

    def _add(self, finding: Finding, role: _Role) -> None:
        location = finding.provider_location or finding.consumer_location
        if role.kind == "consumer":
            finding = dataclasses.replace(
                finding, consumer_location=location, provider_location=None
            )
        self.findings.append(
            dataclasses.replace(finding, programme=role.programme, cluster=role.cluster)
        )

    def _warn(
        self,
        rule_id: str,
        message: str,
        location: Location,
        role: _Role,
        *,
        operation: str | None = None,
    ) -> None:
        self._add(
            Finding(
                severity=rule(rule_id).severity,
                rule=rule_id,
                message=message,
                operation=operation,
                provider_location=location,
            ),
            role,
        )

    def _error(self, rule_id: str, message: str, location: Location, *, kind: str) -> None:
        self._warn(rule_id, message, location, _Role(kind=kind, subject=location.file))

    def _catalogue_problem(
        self,
        message: str,
        location: Location,
        *,
        programme: str | None = None,
        cluster: str | None = None,
        kind: str = "provider",
    ) -> None:
        role = _Role(kind=kind, subject="", programme=programme, cluster=cluster)
        self._warn("lint.catalogue-invalid", message, location, role)
