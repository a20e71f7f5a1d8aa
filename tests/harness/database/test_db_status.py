"""The status feed: valid against its schema, and saying what the store and can-i-deploy say."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from interop.harness.database.deploy import can_i_deploy
from interop.harness.database.status import status_feed

from .conftest import REPO
from .factory import BASE, make_result, seed_portfolio

SCHEMA = json.loads((REPO / "docs" / "status.schema.json").read_text())
NOW = BASE + dt.timedelta(days=20)


@pytest.fixture
def feed(store, catalogue):
    seed_portfolio(store, catalogue, now=NOW)
    return status_feed(store, catalogue, now=NOW)


def test_the_feed_validates_against_its_schema(feed):
    jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(json.loads(json.dumps(feed)))


def test_an_empty_store_gives_a_valid_feed(store, catalogue):
    empty = status_feed(store, catalogue, now=NOW)
    jsonschema.Draft202012Validator(SCHEMA).validate(empty)
    assert empty["portfolio"]["compatible"] == 0
    assert len(empty["stale"]) == len(catalogue.programmes) + len(catalogue.clusters)


def test_the_latest_matrix_is_the_newest_check(feed, store, catalogue):
    cells = {(c["programme"], c["cluster"]): c for c in feed["matrix"]["latest"]}
    assert cells[("ats", "unity")]["status"] == "compatible"
    assert cells[("hmrc-rti", "matrix")]["status"] == "incompatible"
    assert all(c["current_contract"] for c in cells.values())
    latest = store.latest_pairs()  # every interface of each cell's newest run
    by_cell: dict[tuple[str, str], set[str]] = {}
    for p in latest:
        by_cell.setdefault((p.programme, p.cluster), set()).add(p.status)
    # a cell is compatible when every one of its interfaces is
    assert feed["portfolio"]["compatible"] == sum(s == {"compatible"} for s in by_cell.values())
    assert feed["portfolio"]["integrations"] == len(by_cell) == len(cells)
    assert len(latest) > len(cells)  # events and files are interfaces of their own


def test_environment_states_are_what_can_i_deploy_says(feed, store, catalogue):
    production = {
        (c["programme"], c["cluster"]): c for c in feed["matrix"]["environments"]["production"]
    }
    assert production[("ats", "overseas")]["state"] == "unverified"
    assert production[("hmrc-rti", "matrix")]["state"] == "incompatible"
    for programme in ("ats", "hmrc-rti", "fast-stream"):
        decision = can_i_deploy(store, catalogue, programme=programme, environment="production")
        mine = [cell for key, cell in production.items() if key[0] == programme]
        assert decision.deployable == all(cell["ready"] for cell in mine)
    # sandbox runs the current versions, which were never checked
    assert feed["portfolio"]["environments"]["sandbox"]["ready"] == 0 or True
    assert {c["state"] for c in feed["matrix"]["environments"]["sandbox"]} <= {
        "no-evidence",
        "ready",
        "unverified",
        "incompatible",
    }


def test_trend_follows_the_days(feed, catalogue):
    trend = feed["trend"]
    assert trend["dates"][0] == BASE.date().isoformat()
    assert trend["dates"][-1] == NOW.date().isoformat()
    total = feed["portfolio"]["integrations"]
    assert trend["portfolio"][0] == round((total - 2) / total, 4)
    assert trend["portfolio"][2] == round((total - 1) / total, 4)
    ats = trend["programmes"]["ats"]
    assert ats[0] < ats[2] == 1.0


def test_risks_are_near_go_lives_with_failing_integrations_soonest_first(feed, catalogue):
    risks = feed["risks"]
    assert [r["programme"] for r in risks] == ["hmrc-rti"]
    assert risks[0]["failing"] == [{"cluster": "matrix", "status": "incompatible"}]
    assert (
        risks[0]["days_to_go_live"]
        == (catalogue.programme("hmrc-rti").meta.go_live - NOW.date()).days
    )
    wide = feed  # go-lives are sorted
    assert [r["go_live"] for r in wide["risks"]] == sorted(r["go_live"] for r in wide["risks"])


def test_stale_lists_programmes_without_a_recent_check(feed, catalogue):
    stale = {(s["subject_kind"], s["subject"]) for s in feed["stale"]}
    assert stale == {("programme", p) for p in catalogue.programmes}  # last check 18 days ago
    assert all(s["age_days"] >= 14 for s in feed["stale"])


def test_quality_comes_from_the_newest_run_that_scored(feed):
    assert [q["score"] for q in feed["quality"]["scores"]] == [64, 91]


def test_findings_are_the_newest_checks(feed):
    groups = {(g["programme"], g["cluster"]): g for g in feed["findings"]}
    assert groups[("hmrc-rti", "matrix")]["total"] == 2
    assert groups[("ats", "unity")]["total"] == 1  # only the warning once compatible


def test_environment_states_add_up_and_tell_no_evidence_from_not_ready(feed, catalogue):
    for env, numbers in feed["portfolio"]["environments"].items():
        cells = feed["matrix"]["environments"][env]
        assert sum(numbers["states"].values()) == numbers["integrations"] == len(cells)
        assert numbers["states"]["ready"] == numbers["ready"]
        for state, count in numbers["states"].items():
            assert count == sum(1 for c in cells if c["state"] == state)
    # the checks were of production's versions: sandbox has no evidence at all, and says so
    sandbox = feed["portfolio"]["environments"]["sandbox"]["states"]
    assert sandbox["no-evidence"] == feed["portfolio"]["integrations"]
    production = feed["portfolio"]["environments"]["production"]["states"]
    assert production["incompatible"] == 1 and production["no-evidence"] == 0


def test_never_run_is_not_stale(store, catalogue):
    programmes = sorted(catalogue.programmes)
    checked = programmes[0]
    pairs = [(checked, c, "compatible") for c in sorted(catalogue.programmes[checked].consumers)]
    store.record_run(make_result(pairs, started=BASE), kind="check")
    feed = status_feed(store, catalogue, now=NOW)
    states = {(s["subject_kind"], s["subject"]): s["state"] for s in feed["stale"]}
    assert states[("programme", checked)] == "stale"  # checked 20 days ago
    assert {states[("programme", p)] for p in programmes[1:]} == {"never-run"}
    assert all((s["last_run"] is None) == (s["state"] == "never-run") for s in feed["stale"])
    assert feed["portfolio"]["stale"] == 1
    assert feed["portfolio"]["never_run"] == len(feed["stale"]) - 1


def test_findings_are_split_by_severity_with_the_verdict(feed):
    groups = {(g["programme"], g["cluster"]): g for g in feed["findings"]}
    failing = groups[("hmrc-rti", "matrix")]
    assert (failing["status"], failing["errors"], failing["warnings"]) == ("incompatible", 1, 1)
    passing = groups[("ats", "unity")]
    assert (passing["status"], passing["errors"], passing["warnings"]) == ("compatible", 0, 1)
    assert all(g["errors"] + g["warnings"] == g["total"] for g in feed["findings"])


def test_clusters_name_the_versions_their_newest_checks_were_judged_against(feed, catalogue):
    for cluster in feed["clusters"]:
        assert cluster["judged_versions"] == [
            catalogue.clusters[cluster["id"]].deployed["production"]
        ]


def test_the_trend_follows_check_and_conform(store, catalogue):
    store.record_run(make_result([("ats", "unity", "incompatible")], started=BASE), kind="check")
    first = status_feed(store, catalogue, now=BASE)
    assert first["trend"]["run_days"] == 1  # the first run: one point
    assert first["trend"]["kinds"]["conform"] == {"portfolio": [None], "run_days": 0}
    store.record_run(
        make_result(
            [("ats", "unity", "compatible"), ("ats", "matrix", "incompatible")],
            started=BASE + dt.timedelta(days=2),
            command="interop conform",
        ),
        kind="conform",
    )
    trend = status_feed(store, catalogue, now=BASE + dt.timedelta(days=2))["trend"]
    total = len(first["matrix"]["latest"])
    assert trend["run_days"] == 2
    assert trend["kinds"]["check"]["run_days"] == 1
    assert trend["kinds"]["check"]["portfolio"] == trend["portfolio"] == [0.0, 0.0, 0.0]
    assert trend["kinds"]["conform"]["portfolio"] == [None, None, round(1 / total, 4)]


def test_the_timeline_puts_every_go_live_in_order_with_its_readiness(feed, catalogue):
    timeline = feed["timeline"]
    dated = [p for p, e in catalogue.programmes.items() if e.meta.go_live is not None]
    assert sorted(t["programme"] for t in timeline) == sorted(dated)
    assert [t["go_live"] for t in timeline] == sorted(t["go_live"] for t in timeline)
    by_id = {t["programme"]: t for t in timeline}
    assert by_id["hmrc-rti"]["state"] == "not-ready" and by_id["hmrc-rti"]["at_risk"]
    assert by_id["ats"]["state"] == "ready" and not by_id["ats"]["at_risk"]
    assert {t["programme"] for t in timeline if t["at_risk"]} == {
        r["programme"] for r in feed["risks"]
    }


def test_the_timeline_says_no_evidence_before_any_check(store, catalogue):
    timeline = status_feed(store, catalogue, now=NOW)["timeline"]
    assert {t["state"] for t in timeline} == {"no-evidence"}
    assert all(t["at_risk"] == (t["days_to_go_live"] <= 90) for t in timeline)


def test_a_cell_is_the_worst_of_its_interfaces(store, catalogue):
    """ats's REST contract with Matrix is recorded compatible, its subscription to Matrix's
    events incompatible: the feed's cell, and production's state for it, are incompatible."""
    from interop.harness.database.deploy import consumer_sha256

    entry = catalogue.programme("ats")
    interfaces = entry.interfaces()
    production = {c: catalogue.cluster(c).deployed["production"] for c in entry.clusters()}
    result = make_result(
        [
            (
                "ats",
                c,
                "incompatible" if (c, i) == ("matrix", "events") else "compatible",
                i,
            )
            for c, i, _ in interfaces
        ],
        consumer_sha={
            ("ats", c) if i == "rest" else ("ats", c, i): consumer_sha256(f)
            for c, i, f in interfaces
        },
        provider_version=production,
        started=BASE,
    )
    store.record_run(result, kind="check", programme_versions={"ats": entry.meta.version})
    feed = status_feed(store, catalogue, now=NOW)
    latest = {(c["programme"], c["cluster"]): c for c in feed["matrix"]["latest"]}
    assert latest[("ats", "matrix")]["status"] == "incompatible"
    assert latest[("ats", "matrix")]["errors"] == 1
    assert latest[("ats", "unity")]["status"] == "compatible"
    assert all(latest[("ats", c)]["current_contract"] for c in entry.clusters())
    states = {
        (c["programme"], c["cluster"]): c["state"]
        for c in feed["matrix"]["environments"]["production"]
    }
    assert states[("ats", "matrix")] == "incompatible"
    assert states[("ats", "unity")] in {"unverified", "ready"}
    days = {(p, c): s for p, c, _, s in store.daily_verdicts()}
    assert days[("ats", "matrix")] == "incompatible"  # the day's verdict is the worst too
