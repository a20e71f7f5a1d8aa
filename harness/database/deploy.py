"""``can-i-deploy``: may this programme (or cluster) release go to that environment?

The answer rests only on recorded evidence (docs/store.md, "can-i-deploy"):

- a **programme** P at release V may go to ENV when, for every cluster C it integrates with
  and every interface it has with C (REST, the cluster's events it subscribes to, the files it
  reads), the newest recorded ``check`` or ``conform`` (which adds live evidence to the static
  one) of P's contract for that interface (identified by its sha256)
  against the version of C deployed in ENV is compatible, and the latest ``verify`` of that
  cluster version's sandbox passed;
- a **cluster** C at version V may go to ENV when every programme deployed in ENV that
  integrates with C has a compatible newest check against C V, and V's latest verify passed.

Missing evidence is a "no" that names what is missing and the command that would produce it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import UsageError
from ..results import REST

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from .queries import StoreReader

__all__ = [
    "Decision",
    "Evaluator",
    "Reason",
    "can_i_deploy",
    "consumer_sha256",
    "deployed_versions",
    "single_file_sha256",
]

Evidence = Literal["check", "conform", "verify", "deployment", "release"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Reason:
    """One fact the answer rests on, or one piece of evidence that is missing."""

    ok: bool
    evidence: Evidence
    """What kind of evidence: a ``check``, a ``verify``, where a ``deployment`` is, or the
    ``release``'s recorded contracts."""
    message: str
    programme: str | None = None
    cluster: str | None = None
    cluster_version: str | None = None
    run_id: str | None = None
    """The stored run the fact comes from."""
    missing: str | None = None
    """What evidence is missing (None when the evidence is there, whatever it says)."""
    command: str | None = None
    """The command that would produce the missing or failing evidence."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "evidence": self.evidence,
            "programme": self.programme,
            "cluster": self.cluster,
            "cluster_version": self.cluster_version,
            "message": self.message,
            "run_id": self.run_id,
            "missing": self.missing,
            "command": self.command,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The answer to ``can-i-deploy``: yes when every reason is satisfied."""

    subject_kind: Literal["programme", "cluster"]
    subject: str
    version: str
    environment: str
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...] = field(default=())
    """Assumptions the answer makes (e.g. which programmes are taken as deployed)."""

    @property
    def deployable(self) -> bool:
        return all(reason.ok for reason in self.reasons)

    @property
    def exit_code(self) -> int:
        """0 yes, 1 no (bad input is an exception: exit 2)."""
        return 0 if self.deployable else 1

    @property
    def question(self) -> str:
        return (
            f"can {self.subject_kind} {self.subject} {self.version} "
            f"be deployed to {self.environment}?"
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``--format json`` document (``decision_version`` 1, docs/store.md)."""
        return {
            "decision_version": 1,
            "question": self.question,
            "subject_kind": self.subject_kind,
            "subject": self.subject,
            "version": self.version,
            "environment": self.environment,
            "deployable": self.deployable,
            "answer": "yes" if self.deployable else "no",
            "reasons": [reason.to_dict() for reason in self.reasons],
            "missing": [
                {"what": r.missing, "command": r.command} for r in self.reasons if r.missing
            ],
            "notes": list(self.notes),
        }

    def lines(self) -> list[str]:
        """Plain text, one fact a line, for the terminal (the CLI may colour it)."""
        out = [f"{'yes' if self.deployable else 'no'}: {self.question}"]
        for reason in self.reasons:
            out.append(f"  {'ok ' if reason.ok else 'NO '} {reason.message}")
            if reason.command and not reason.ok:
                out.append(f"       run: {reason.command}")
        out.extend(f"  note: {note}" for note in self.notes)
        return out


_HASHES: dict[tuple[str, int, int], str] = {}


def consumer_sha256(path: Path) -> str:
    """The sha256 ``check`` records for a consumer contract (cached by file size and mtime)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _HASHES:
        from ..loading import load_contract  # the engine's loader: only when a hash is asked

        _HASHES[key] = load_contract(path).sha256
    return _HASHES[key]


def single_file_sha256(path: Path) -> str:
    """What ``loading`` would record for ``path`` if it has no external ``$ref``: the digest
    of its one entry (name ``""``). Cheap (no YAML parsing); only ever trusted when a stored
    pair carries it, since a contract with external refs is recorded with a different one."""
    return hashlib.sha256(b"\0" + path.read_bytes() + b"\0").hexdigest()


def _check_command(
    evaluator: Evaluator,
    programme: str,
    cluster: str,
    version: str,
    environment: str | None,
    interface: str = REST,
) -> str:
    """The check that produces the evidence: against the current version, the version
    deployed in ``environment`` (``check --environment`` checks against those), or the file."""
    entry = evaluator.catalogue.cluster(cluster)
    if version == entry.current:
        return f"interop check --programme {programme} --cluster {cluster} --record"
    if environment is not None and evaluator.cluster_version_in(cluster, environment) == version:
        return (
            f"interop check --programme {programme} --cluster {cluster} "
            f"--environment {environment} --record"
        )
    consumer = evaluator.catalogue.programme(programme).interfaces_with(cluster)[interface]
    return (
        f"interop check --consumer {_rel(consumer)} "
        f"--provider {_rel(entry.interface_file(interface, version))} --record"
    )


def _interfaces_with(catalogue: Catalogue, programme: str, cluster: str) -> list[str]:
    """The programme's interfaces with ``cluster`` (REST first, then the catalogue's event and
    file interfaces by id); REST when the catalogue names none."""
    return list(catalogue.programme(programme).interfaces_with(cluster)) or [REST]


def _its(cluster: str, interface: str) -> str:
    """How reasons name a programme's contract: ``its contract for matrix`` (REST), ``its
    contract for matrix's events interface``, ``its contract for synergy's payroll-costing
    interface``."""
    if interface == REST:
        return f"its contract for {cluster}"
    return f"its contract for {cluster}'s {interface} interface"


def _what(programme: str, cluster: str, interface: str) -> str:
    """``ats's contract for matrix``, ``ats's contract for matrix's events interface``…"""
    return f"{programme}'s {_its(cluster, interface).removeprefix('its ')}"


def _against(catalogue: Catalogue, cluster: str, version: str, interface: str) -> str:
    """``matrix 3.1.0``; for an interface whose version running with it has another name,
    ``matrix 3.1.0 (events 1.2.0)``."""
    running = catalogue.cluster(cluster).interface_version(interface, version)
    return (
        f"{cluster} {version}"
        if running == version
        else f"{cluster} {version} ({interface} {running})"
    )


def _rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


class Evaluator:
    """Answers the per-pair questions, caching what several answers share.

    The dashboard and the status feed use it too, so that their per-environment readiness is
    exactly what ``can-i-deploy`` would say.
    """

    def __init__(
        self,
        store: StoreReader,
        catalogue: Catalogue,
        *,
        programme: str | None = None,
        cluster: str | None = None,
        cluster_version: str | None = None,
    ) -> None:
        """Reads, in one query each, the newest checks within the scope asked about (one
        programme, one cluster version, or everything), the newest verifications and, per
        environment, the recorded deployments; each answer is then a dictionary lookup."""
        self.store = store
        self.catalogue = catalogue
        if cluster and cluster_version and cluster in catalogue.clusters:
            entry = catalogue.clusters[cluster]
            running = {entry.interface_version(i, cluster_version) for i in entry.interfaces}
            if running - {cluster_version}:
                # an interface runs a version named otherwise: its checks carry that version
                cluster_version = None
        self._checks = store.latest_checks(
            programme=programme,
            cluster=cluster,
            provider_version=cluster_version,
            kinds=("check", "conform"),
        )
        self._known = {(p, c, sha) for p, c, sha, _ in self._checks}
        self._verifications = store.latest_verifications()
        self._verified: dict[tuple[str, str], Reason] = {}
        self._deployed: dict[str, dict[tuple[str, str], str]] = {}

    def cluster_version_in(self, cluster: str, environment: str) -> str | None:
        """The cluster version in ``environment``: last recorded deployment, else catalogue."""
        if environment not in self._deployed:
            self._deployed[environment] = self.store.deployments(environment)
        recorded = self._deployed[environment].get(("cluster", cluster))
        return recorded or self.catalogue.cluster(cluster).deployed.get(environment)

    def consumer_hash(
        self, programme: str, cluster: str, version: str, interface: str = REST
    ) -> str | None:
        """P release ``version``'s consumer contract for C (for one ``interface``: ``rest`` or
        a catalogue interface id): the catalogue's file when ``version`` is the catalogue's,
        else the one recorded with that release's runs."""
        entry = self.catalogue.programme(programme)
        files = entry.interfaces_with(cluster)
        if version == entry.meta.version and interface in files:
            path = files[interface]
            # Parsing a large contract costs tens of milliseconds; its bytes' digest is enough
            # when a stored check carries it (a single-file contract, as most are).
            quick = single_file_sha256(path)
            if (programme, cluster, quick) in self._known:
                return quick
            return consumer_sha256(path)
        return self.store.consumer_sha256_for(programme, cluster, version, interface)

    def check_reason(
        self,
        programme: str,
        cluster: str,
        consumer_hash: str,
        cluster_version: str,
        *,
        environment: str | None = None,
        interface: str = REST,
    ) -> Reason:
        # An event or file interface's verdict names the interface version that runs with
        # ``cluster_version`` (ClusterEntry.interface_version).
        provider_version = self.catalogue.cluster(cluster).interface_version(
            interface, cluster_version
        )
        evidence = self._checks.get((programme, cluster, consumer_hash, provider_version))
        command = _check_command(self, programme, cluster, cluster_version, environment, interface)
        # REST reasons read as they always have; the others say which interface they judge.
        subject = programme if interface == REST else _what(programme, cluster, interface)
        against = _against(self.catalogue, cluster, cluster_version, interface)
        base: dict[str, Any] = {
            "evidence": "check",
            "programme": programme,
            "cluster": cluster,
            "cluster_version": cluster_version,
        }
        if evidence is None:
            return Reason(
                ok=False,
                message=(
                    f"no recorded check of {_what(programme, cluster, interface)} "
                    f"(sha256 {consumer_hash[:12]}) against {against}"
                ),
                missing=(
                    f"check of {subject} (consumer sha256 {consumer_hash[:12]}) against {against}"
                ),
                command=command,
                **base,
            )
        when = evidence.started_at.strftime("%Y-%m-%d %H:%M")
        base["evidence"] = "conform" if evidence.kind == "conform" else "check"
        source = "conform run" if evidence.kind == "conform" else "check"
        if evidence.status == "compatible":
            return Reason(
                ok=True,
                message=(
                    f"{subject} is compatible with {against} "
                    f"({source} of {when} UTC, run {evidence.run_id[:12]})"
                ),
                run_id=evidence.run_id,
                **base,
            )
        if evidence.status == "incompatible":
            what = (
                f"incompatible with {against} "
                f"({evidence.errors} error{'s' if evidence.errors != 1 else ''})"
            )
        elif evidence.status == "undecided":
            # no error found, but not every part was decided: not evidence of compatibility
            what = f"undecided against {against} (the engine could not decide it)"
        else:
            what = f"could not be judged against {against}"
        return Reason(
            ok=False,
            message=f"{subject} is {what} ({source} of {when} UTC, run {evidence.run_id[:12]})",
            run_id=evidence.run_id,
            command=command,
            **base,
        )

    def verify_reason(self, cluster: str, cluster_version: str) -> Reason:
        key = (cluster, cluster_version)
        if key not in self._verified:
            self._verified[key] = self._verify_reason(cluster, cluster_version)
        return self._verified[key]

    def _verify_reason(self, cluster: str, cluster_version: str) -> Reason:
        evidence = self._verifications.get((cluster, cluster_version))
        command = (
            f"interop verify --cluster {cluster} --version {cluster_version} "
            "--base-url <its sandbox URL> --record"
        )
        base: dict[str, Any] = {
            "evidence": "verify",
            "cluster": cluster,
            "cluster_version": cluster_version,
        }
        if evidence is None:
            mocked = self.store.latest_verification(cluster, cluster_version, mocks=True)
            if mocked is not None:
                # A mock answers from the contract itself: verifying it proves nothing about
                # the sandbox, so it is never accepted, and the reason says why.
                return Reason(
                    ok=False,
                    message=(
                        f"{cluster} {cluster_version} was verified only against interop's "
                        f"mock ({mocked.mock} at {mocked.target_url}, run "
                        f"{mocked.run_id[:12]}): a mock answers from the contract itself, so "
                        "it is not evidence about the sandbox"
                    ),
                    missing=f"verify of {cluster} {cluster_version}'s sandbox",
                    run_id=mocked.run_id,
                    command=command,
                    **base,
                )
            return Reason(
                ok=False,
                message=f"no recorded verify of {cluster} {cluster_version}'s sandbox",
                missing=f"verify of {cluster} {cluster_version}'s sandbox",
                command=command,
                **base,
            )
        when = evidence.started_at.strftime("%Y-%m-%d %H:%M")
        at = f" at {evidence.target_url}" if evidence.target_url else ""
        if evidence.passed:
            return Reason(
                ok=True,
                message=(
                    f"{cluster} {cluster_version}'s sandbox{at} passed verify "
                    f"({when} UTC, run {evidence.run_id[:12]})"
                ),
                run_id=evidence.run_id,
                **base,
            )
        return Reason(
            ok=False,
            message=(
                f"{cluster} {cluster_version}'s sandbox{at} failed its latest verify with "
                f"{evidence.errors} error{'s' if evidence.errors != 1 else ''} "
                f"({when} UTC, run {evidence.run_id[:12]})"
            ),
            run_id=evidence.run_id,
            command=command,
            **base,
        )

    def pair_reasons(
        self, programme: str, programme_version: str, cluster: str, environment: str
    ) -> list[Reason]:
        """Why P ``programme_version`` can or cannot use C as deployed in ``environment``: one
        check reason per interface the programme has with C (REST, events, files), then C's
        verify."""
        cluster_version = self.cluster_version_in(cluster, environment)
        if cluster_version is None:
            return [
                Reason(
                    ok=False,
                    evidence="deployment",
                    programme=programme,
                    cluster=cluster,
                    message=f"no version of {cluster} is known to be deployed in {environment}",
                    missing=f"which version of {cluster} is deployed in {environment}",
                    command=(
                        f"interop record-deployment --cluster {cluster} --version <V> "
                        f"--environment {environment}"
                    ),
                )
            ]
        checks = [
            self._interface_reason(
                programme, programme_version, cluster, cluster_version, environment, interface
            )
            for interface in _interfaces_with(self.catalogue, programme, cluster)
        ]
        return [*checks, self.verify_reason(cluster, cluster_version)]

    def _interface_reason(
        self,
        programme: str,
        programme_version: str,
        cluster: str,
        cluster_version: str,
        environment: str,
        interface: str,
    ) -> Reason:
        consumer_hash = self.consumer_hash(programme, cluster, programme_version, interface)
        if consumer_hash is None:
            return Reason(
                ok=False,
                evidence="release",
                programme=programme,
                cluster=cluster,
                cluster_version=cluster_version,
                message=(
                    f"no run recorded for {programme} release {programme_version}, so "
                    f"{_its(cluster, interface)} is unknown"
                ),
                missing=f"a recorded check of {programme} release {programme_version}",
                command=(
                    f"interop check --programme {programme} --record "
                    f"(from release {programme_version}'s catalogue)"
                ),
            )
        return self.check_reason(
            programme,
            cluster,
            consumer_hash,
            cluster_version,
            environment=environment,
            interface=interface,
        )


def deployed_versions(store: StoreReader, catalogue: Catalogue, environment: str) -> dict[str, str]:
    """cluster -> the version deployed in ``environment`` (last recorded deployment, else the
    catalogue's ``deployed``): what ``interop check --environment E`` should check against."""
    evaluator = Evaluator(store, catalogue, cluster="", cluster_version="")
    found = {cid: evaluator.cluster_version_in(cid, environment) for cid in catalogue.clusters}
    return {cid: version for cid, version in sorted(found.items()) if version is not None}


def can_i_deploy(
    store: StoreReader,
    catalogue: Catalogue,
    *,
    programme: str | None = None,
    cluster: str | None = None,
    version: str | None = None,
    environment: str,
) -> Decision:
    """May ``programme`` (or ``cluster``) at ``version`` go to ``environment``?

    ``version`` defaults to the catalogue's: the programme's ``version``, the cluster's
    ``current``. Unknown programme, cluster, cluster version or environment is a
    :class:`UsageError`; nothing is ever written.
    """
    if (programme is None) == (cluster is None):
        raise UsageError("can-i-deploy needs either --programme or --cluster")
    if environment not in catalogue.environments:
        known = ", ".join(catalogue.environments) or "none"
        raise UsageError(f"unknown environment {environment!r} (known: {known})")
    if programme is not None:
        evaluator = Evaluator(store, catalogue, programme=programme)
        entry = catalogue.programme(programme)
        chosen = version or entry.meta.version
        reasons = [
            reason
            for cid in entry.clusters()
            for reason in evaluator.pair_reasons(programme, chosen, cid, environment)
        ]
        notes = () if reasons else (f"{programme} integrates with no cluster",)
        return Decision(
            subject_kind="programme",
            subject=programme,
            version=chosen,
            environment=environment,
            reasons=tuple(reasons),
            notes=notes,
        )
    assert cluster is not None
    cluster_entry = catalogue.cluster(cluster)
    chosen = version or cluster_entry.current
    cluster_entry.file_for(chosen)  # unknown version: UsageError
    evaluator = Evaluator(store, catalogue, cluster=cluster, cluster_version=chosen)
    deployed = {
        subject: v
        for (kind, subject), v in store.deployments(environment).items()
        if kind == "programme"
    }
    notes_list: list[str] = []
    if deployed:
        users = {
            pid: v
            for pid, v in deployed.items()
            if pid in catalogue.programmes and cluster in catalogue.programmes[pid].clusters()
        }
    else:
        users = {
            pid: entry.meta.version
            for pid, entry in catalogue.programmes.items()
            if cluster in entry.clusters()
        }
        notes_list.append(
            f"no programme deployment is recorded in {environment}: every programme that "
            f"integrates with {cluster} is taken as deployed at its catalogue version"
        )
    reasons = [evaluator.verify_reason(cluster, chosen)]
    for pid, interface in [
        (user, interface)
        for user in sorted(users)
        for interface in _interfaces_with(catalogue, user, cluster)
    ]:
        consumer_hash = evaluator.consumer_hash(pid, cluster, users[pid], interface)
        if consumer_hash is None:
            reasons.append(
                Reason(
                    ok=False,
                    evidence="release",
                    programme=pid,
                    cluster=cluster,
                    cluster_version=chosen,
                    message=(
                        f"{pid} {users[pid]} is deployed in {environment} but no run of that "
                        f"release is recorded, so {_its(cluster, interface)} is unknown"
                    ),
                    missing=f"a recorded check of {pid} release {users[pid]}",
                    command=(
                        f"interop check --programme {pid} --record "
                        f"(from release {users[pid]}'s catalogue)"
                    ),
                )
            )
        else:
            reasons.append(
                evaluator.check_reason(
                    pid,
                    cluster,
                    consumer_hash,
                    chosen,
                    environment=environment,
                    interface=interface,
                )
            )
    return Decision(
        subject_kind="cluster",
        subject=cluster,
        version=chosen,
        environment=environment,
        reasons=tuple(reasons),
        notes=tuple(notes_list),
    )
