"""The status feed: what the results store says about the portfolio, as one JSON document.

``interop status --format json`` prints it for other dashboards, and ``interop dashboard``
draws it, so the two always show the same facts. Its shape (``feed_version`` 1) is documented
in ``docs/status.md`` and ``docs/status.schema.json``; a test validates the feed against it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from ..results import PairStatus
from .deploy import Evaluator, Reason

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from .queries import PairEvidence, StoreReader

__all__ = ["FEED_VERSION", "status_feed"]

FEED_VERSION = 1
MAX_FINDINGS_PER_PAIR = 50
STATES = ("ready", "unverified", "incompatible", "no-evidence")
"""An integration's states in an environment, from the best to no evidence at all."""


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.replace(tzinfo=dt.UTC).isoformat()


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _state(reasons: list[Reason]) -> str:
    """ready | incompatible | unverified | no-evidence, from one pair's can-i-deploy reasons:
    a check reason per interface (REST, events, files), then the cluster's verify. The worst
    interface decides: one incompatible makes the cell incompatible."""
    checks = [r for r in reasons if r.evidence != "verify"]
    if any(not r.ok and not r.missing and r.evidence != "deployment" for r in checks):
        return "incompatible"
    if any(r.evidence == "deployment" or (not r.ok and r.missing) for r in checks):
        return "no-evidence"
    return "ready" if all(r.ok for r in reasons) else "unverified"


def _cells(evidence: list[PairEvidence]) -> dict[tuple[str, str], PairEvidence]:
    """(programme, cluster) -> the cell's newest verdict: the worst of its interfaces', with
    their findings counted together (``latest_pairs`` gives each interface of the newest run)."""
    by_cell: dict[tuple[str, str], list[PairEvidence]] = {}
    for item in evidence:
        by_cell.setdefault((item.programme, item.cluster), []).append(item)
    cells = {}
    for key, items in by_cell.items():
        worst = PairStatus.worst(_status(item.status) for item in items)
        shown = next(item for item in items if _status(item.status) is worst)
        cells[key] = dataclasses.replace(
            shown,
            errors=sum(item.errors for item in items),
            warnings=sum(item.warnings for item in items),
        )
    return cells


def _status(value: str) -> PairStatus:
    try:
        return PairStatus(value)
    except ValueError:
        return PairStatus.ERROR


def status_feed(
    store: StoreReader,
    catalogue: Catalogue,
    *,
    now: dt.datetime | None = None,
    stale_days: int = 14,
    risk_days: int = 90,
    trend_days: int = 90,
) -> dict[str, Any]:
    """The status feed (``feed_version`` 1) for ``catalogue`` from ``store``, as of ``now``.

    - ``matrix.latest``: each programme x cluster integration's newest recorded check;
    - ``matrix.environments``: per environment, what ``can-i-deploy`` says of each pair;
    - ``trend``: daily readiness per programme and for the portfolio over ``trend_days``, by
      check and by conform;
    - ``risks``: programmes going live within ``risk_days`` (or overdue) with an integration
      not compatible, soonest first;
    - ``timeline``: every programme with a go-live date and its readiness, soonest first;
    - ``stale``: programmes with no check, and clusters with no verify, in ``stale_days``,
      each ``never-run`` or ``stale``;
    - ``quality``: the scores of the newest lint or check run that carries any;
    - ``findings``: the newest check's findings for every pair that has some.
    """
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)
    today = moment.date()
    evaluator = Evaluator(store, catalogue)
    integrations = [
        (pid, cid)
        for pid, entry in sorted(catalogue.programmes.items())
        for cid in entry.clusters()
    ]
    latest = _cells(store.latest_pairs(kind="check"))

    latest_cells: list[dict[str, Any]] = []
    for pid, cid in integrations:
        evidence = latest.get((pid, cid))
        entry = catalogue.programmes[pid]
        latest_cells.append(
            {
                "programme": pid,
                "cluster": cid,
                "status": evidence.status if evidence else "none",
                "run_id": evidence.run_id if evidence else None,
                "started": _iso(evidence.started_at) if evidence else None,
                "provider_version": evidence.provider_version if evidence else None,
                "consumer_sha256": evidence.consumer_sha256 if evidence else None,
                "current_contract": (
                    evidence.consumer_sha256
                    == evaluator.consumer_hash(pid, cid, entry.meta.version, evidence.interface)
                    if evidence
                    else False
                ),
                "errors": evidence.errors if evidence else 0,
                "warnings": evidence.warnings if evidence else 0,
            }
        )

    environments: dict[str, list[dict[str, Any]]] = {}
    by_environment: dict[str, dict[str, Any]] = {}
    for env in catalogue.environments:
        cells = []
        for pid, cid in integrations:
            version = catalogue.programmes[pid].meta.version
            reasons = evaluator.pair_reasons(pid, version, cid, env)
            state = _state(reasons)
            cells.append(
                {
                    "programme": pid,
                    "cluster": cid,
                    "cluster_version": reasons[0].cluster_version
                    if reasons[0].evidence != "deployment"
                    else None,
                    "state": state,
                    "ready": state == "ready",
                    "reasons": [r.message for r in reasons if not r.ok],
                }
            )
        environments[env] = cells
        ready = sum(1 for cell in cells if cell["ready"])
        by_environment[env] = {
            "ready": ready,
            "integrations": len(cells),
            "readiness": _ratio(ready, len(cells)),
            "states": {name: sum(1 for c in cells if c["state"] == name) for name in STATES},
        }

    programmes = []
    for pid, entry in sorted(catalogue.programmes.items()):
        mine = [latest.get((pid, cid)) for cid in entry.clusters()]
        compatible = sum(1 for e in mine if e is not None and e.status == "compatible")
        last = max((e.started_at for e in mine if e is not None), default=None)
        programmes.append(
            {
                "id": pid,
                "name": entry.meta.name,
                "department": entry.meta.department,
                "criticality": entry.meta.criticality,
                "go_live": entry.meta.go_live.isoformat() if entry.meta.go_live else None,
                "version": entry.meta.version,
                "clusters": entry.clusters(),
                "integrations": len(entry.clusters()),
                "compatible": compatible,
                "readiness": _ratio(compatible, len(entry.clusters())),
                "last_check": _iso(last),
            }
        )

    clusters = []
    last_runs = store.last_run_per_cluster()
    for cid, cluster in sorted(catalogue.clusters.items()):
        deployed = {env: evaluator.cluster_version_in(cid, env) for env in catalogue.environments}
        verification: dict[str, Any] = {}
        for env, in_env in deployed.items():
            if in_env is None:
                verification[env] = None
                continue
            reason = evaluator.verify_reason(cid, in_env)
            verification[env] = {
                "version": in_env,
                "passed": reason.ok if reason.run_id else None,
                "run_id": reason.run_id,
            }
        clusters.append(
            {
                "id": cid,
                "name": cluster.name,
                "dialect": cluster.dialect,
                "current": cluster.current,
                "versions": sorted(cluster.versions),
                "deployed": deployed,
                "verification": verification,
                "last_verify": _iso(last_runs.get(("verify", cid))),
                "judged_versions": sorted(
                    {
                        cell["provider_version"]
                        for cell in latest_cells
                        if cell["cluster"] == cid and cell["provider_version"]
                    }
                ),
            }
        )

    compatible_total = sum(1 for cell in latest_cells if cell["status"] == "compatible")
    risks = _risks(catalogue, latest, today, risk_days)
    stale = _stale(programmes, clusters, moment, stale_days)
    quality_run, scores = store.latest_quality()
    findings = []
    for pid, cid in integrations:
        evidence = latest.get((pid, cid))
        if evidence is None or not (evidence.errors or evidence.warnings):
            continue
        found = store.findings_for(evidence.run_seq, pid, cid)
        findings.append(
            {
                "programme": pid,
                "cluster": cid,
                "run_id": evidence.run_id,
                "status": evidence.status,
                "errors": sum(1 for f in found if f.get("severity") == "error"),
                "warnings": sum(1 for f in found if f.get("severity") == "warning"),
                "total": len(found),
                "findings": found[:MAX_FINDINGS_PER_PAIR],
            }
        )
    return {
        "feed": "interop-status",
        "feed_version": FEED_VERSION,
        "generated": _iso(moment),
        "store": store.url,
        "settings": {"stale_days": stale_days, "risk_days": risk_days, "trend_days": trend_days},
        "environments": list(catalogue.environments),
        "portfolio": {
            "programmes": len(catalogue.programmes),
            "integrations": len(integrations),
            "compatible": compatible_total,
            "readiness": _ratio(compatible_total, len(integrations)),
            "checked": sum(1 for cell in latest_cells if cell["status"] != "none"),
            "environments": by_environment,
            "never_run": sum(1 for s in stale if s["state"] == "never-run"),
            "stale": sum(1 for s in stale if s["state"] == "stale"),
        },
        "programmes": programmes,
        "clusters": clusters,
        "matrix": {"latest": latest_cells, "environments": environments},
        "trend": _trend(store, catalogue, integrations, today, trend_days),
        "risks": risks,
        "timeline": _timeline(programmes, latest_cells, risks, today),
        "stale": stale,
        "quality": {"run_id": quality_run, "scores": scores},
        "findings": findings,
    }


def _risks(
    catalogue: Catalogue,
    latest: dict[tuple[str, str], PairEvidence],
    today: dt.date,
    risk_days: int,
) -> list[dict[str, Any]]:
    risks = []
    horizon = today + dt.timedelta(days=risk_days)
    for pid, entry in catalogue.programmes.items():
        go_live = entry.meta.go_live
        if go_live is None or go_live > horizon:
            continue
        failing = []
        for cid in entry.clusters():
            evidence = latest.get((pid, cid))
            if evidence is None or evidence.status != "compatible":
                failing.append({"cluster": cid, "status": evidence.status if evidence else "none"})
        if failing:
            risks.append(
                {
                    "programme": pid,
                    "name": entry.meta.name,
                    "criticality": entry.meta.criticality,
                    "go_live": go_live.isoformat(),
                    "days_to_go_live": (go_live - today).days,
                    "failing": failing,
                }
            )
    return sorted(risks, key=lambda r: (r["go_live"], r["programme"]))


def _stale(
    programmes: list[dict[str, Any]],
    clusters: list[dict[str, Any]],
    moment: dt.datetime,
    stale_days: int,
) -> list[dict[str, Any]]:
    stale = []
    for subject_kind, items, field, kind in (
        ("programme", programmes, "last_check", "check"),
        ("cluster", clusters, "last_verify", "verify"),
    ):
        for item in items:
            last = item[field]
            age = None
            if last is not None:
                age = (moment - dt.datetime.fromisoformat(last).replace(tzinfo=None)).days
                if age < stale_days:
                    continue
            stale.append(
                {
                    "subject_kind": subject_kind,
                    "subject": item["id"],
                    "evidence": kind,
                    "last_run": last,
                    "age_days": age,
                    "state": "never-run" if last is None else "stale",
                }
            )
    return sorted(
        stale,
        key=lambda s: (s["age_days"] is not None, -(s["age_days"] or 0), s["subject"]),
    )


def _timeline(
    programmes: list[dict[str, Any]],
    latest_cells: list[dict[str, Any]],
    risks: list[dict[str, Any]],
    today: dt.date,
) -> list[dict[str, Any]]:
    """Every programme with a go-live date, soonest first, with its readiness by newest check:
    ``ready`` (every integration compatible), ``not-ready`` (some checked, not all compatible)
    or ``no-evidence`` (none checked)."""
    at_risk = {r["programme"] for r in risks}
    timeline = []
    for programme in programmes:
        if programme["go_live"] is None:
            continue
        mine = [c for c in latest_cells if c["programme"] == programme["id"]]
        checked = sum(1 for c in mine if c["status"] != "none")
        if checked == 0:
            state = "no-evidence"
        elif programme["compatible"] == programme["integrations"]:
            state = "ready"
        else:
            state = "not-ready"
        go_live = dt.date.fromisoformat(programme["go_live"])
        timeline.append(
            {
                "programme": programme["id"],
                "name": programme["name"],
                "criticality": programme["criticality"],
                "go_live": programme["go_live"],
                "days_to_go_live": (go_live - today).days,
                "integrations": programme["integrations"],
                "checked": checked,
                "compatible": programme["compatible"],
                "readiness": programme["readiness"],
                "state": state,
                "at_risk": programme["id"] in at_risk,
            }
        )
    return sorted(timeline, key=lambda t: (t["go_live"], t["programme"]))


TREND_KINDS = ("check", "conform")
"""The run kinds the trend follows: static checks and live conformance runs."""


def _trend(
    store: StoreReader,
    catalogue: Catalogue,
    integrations: list[tuple[str, str]],
    today: dt.date,
    trend_days: int,
) -> dict[str, Any]:
    """Daily readiness (share of integrations whose newest run of a kind by that day's end was
    compatible) per programme and for the portfolio; ``None`` before any evidence.

    ``portfolio`` and ``programmes`` follow ``check``; ``kinds`` has every kind in
    ``TREND_KINDS`` over the same ``dates``, with ``run_days``, the days that kind was run."""
    wanted = set(integrations)
    histories = {
        kind: [row for row in store.daily_verdicts(kind=kind) if (row[0], row[1]) in wanted]
        for kind in TREND_KINDS
    }
    starts = [rows[0][2] for rows in histories.values() if rows]
    if not starts:
        return {
            "dates": [],
            "portfolio": [],
            "programmes": {},
            "kinds": {kind: {"portfolio": [], "run_days": 0} for kind in TREND_KINDS},
            "run_days": 0,
        }
    first = max(min(starts), today - dt.timedelta(days=trend_days - 1))
    dates = [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]
    series = {
        kind: _daily_readiness(rows, catalogue, integrations, dates)
        for kind, rows in histories.items()
    }
    portfolio, per_programme = series["check"]
    run_days = {
        kind: {row[2] for row in rows if row[2] >= first} for kind, rows in histories.items()
    }
    return {
        "dates": [day.isoformat() for day in dates],
        "portfolio": portfolio,
        "programmes": dict(sorted(per_programme.items())),
        "kinds": {
            kind: {"portfolio": series[kind][0], "run_days": len(run_days[kind])}
            for kind in TREND_KINDS
        },
        "run_days": len(set().union(*run_days.values())),
    }


def _daily_readiness(
    history: list[tuple[str, str, dt.date, str]],
    catalogue: Catalogue,
    integrations: list[tuple[str, str]],
    dates: list[dt.date],
) -> tuple[list[float | None], dict[str, list[float | None]]]:
    """The portfolio's and each programme's readiness at each of ``dates``' end."""
    state: dict[tuple[str, str], str] = {}
    per_programme: dict[str, list[float | None]] = {pid: [] for pid in catalogue.programmes}
    portfolio: list[float | None] = []
    index = 0
    for day in dates:
        while index < len(history) and history[index][2] <= day:
            programme, cluster, _, status = history[index]
            state[(programme, cluster)] = status
            index += 1
        for pid, entry in catalogue.programmes.items():
            clusters = entry.clusters()
            seen = [state.get((pid, cid)) for cid in clusters]
            if not clusters or all(s is None for s in seen):
                per_programme[pid].append(None)
            else:
                ok = sum(1 for s in seen if s == "compatible")
                per_programme[pid].append(_ratio(ok, len(clusters)))
        if state:
            ok = sum(1 for key in integrations if state.get(key) == "compatible")
            portfolio.append(_ratio(ok, len(integrations)))
        else:
            portfolio.append(None)
    return portfolio, per_programme
