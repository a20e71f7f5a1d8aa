"""``impact`` (who a new contract breaks) and ``publish`` (each refusal, and success)."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.catalogue import load_catalogue
from interop.harness.errors import ContractError, UsageError
from interop.harness.impact import impact, impact_file
from interop.harness.loading import load_contract
from interop.harness.publish import add_version_to_index, publish, resemblance
from interop.harness.render.impact import IMPACT_FORMATS, render_impact
from tests.conftest import CORPORA

CATALOGUE = Path(__file__).resolve().parents[3] / "contracts"


# -- impact --------------------------------------------------------------------------------
def test_impact_names_who_breaks_who_is_fixed_and_why() -> None:
    catalogue = load_catalogue(CATALOGUE)
    proposed = catalogue.clusters["defence"].versions["1.0.0"]  # current is 2.0.0
    result = impact_file(catalogue, "defence", proposed)
    assert result.exit_code == 1
    broken = {p.programme: p for p in result.broken}
    assert set(broken) == {"civil-service-learning", "shared-services-dashboard"}
    learning = broken["civil-service-learning"]
    assert learning.go_live == "2027-07-01" and learning.contact and learning.department
    assert [f.rule for f in learning.findings] == ["operation.missing"]
    assert [c.rule for c in learning.causes] == ["operation.missing"]
    assert [p.programme for p in result.fixed] == ["pensions-admin"]
    markdown = render_impact(result, "markdown")
    assert "Change notice" in markdown and "2027-07-01" in markdown
    assert learning.contact is not None and learning.contact.replace("@", "&#64;") in markdown


def test_impact_of_the_current_version_breaks_nobody() -> None:
    catalogue = load_catalogue(CATALOGUE)
    current = load_contract(catalogue.clusters["overseas"].current_file)
    result = impact(catalogue, "overseas", current)
    assert result.exit_code == 0 and not result.broken and not result.fixed
    assert result.diff.changes == ()


@pytest.mark.parametrize("fmt", IMPACT_FORMATS)
def test_impact_renders(fmt: str) -> None:
    catalogue = load_catalogue(CATALOGUE)
    result = impact_file(catalogue, "overseas", catalogue.clusters["overseas"].versions["0.9.0"])
    text = render_impact(result, fmt)
    assert "one-hmg-overseas" in text or "ONE HMG" in text


def test_impact_unknown_cluster() -> None:
    catalogue = load_catalogue(CATALOGUE)
    with pytest.raises(UsageError):
        impact_file(catalogue, "nowhere", CATALOGUE / "clusters" / "unity" / "2.4.0.yaml")


# -- publish -------------------------------------------------------------------------------
@pytest.fixture
def catalogue_dir(tmp_path: Path) -> Path:
    target = tmp_path / "contracts"
    shutil.copytree(CATALOGUE, target)
    return target


def _overseas(catalogue_dir: Path) -> dict[str, Any]:
    text = (catalogue_dir / "clusters" / "overseas" / "1.0.0.yaml").read_text()
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def _proposal(tmp_path: Path, document: dict[str, Any], version: str) -> Path:
    document["info"]["version"] = version
    path = tmp_path / f"proposal-{version}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _without_recharges(document: dict[str, Any]) -> dict[str, Any]:
    document["paths"] = {k: v for k, v in document["paths"].items() if "recharges" not in k}
    return document


def test_publish_compatible_update(tmp_path: Path, catalogue_dir: Path) -> None:
    document = _overseas(catalogue_dir)
    document["info"]["description"] = "Clarified wording."
    before = (catalogue_dir / "catalogue.yaml").read_text()
    result = publish(catalogue_dir, "overseas", _proposal(tmp_path, document, "1.0.1"))
    assert not result.refused and result.exit_code == 0
    assert (catalogue_dir / "clusters" / "overseas" / "1.0.1.yaml").is_file()
    after = (catalogue_dir / "catalogue.yaml").read_text()
    assert after.splitlines()[0] == before.splitlines()[0]  # the comment survives
    entry = load_catalogue(catalogue_dir).clusters["overseas"]
    assert entry.current == "1.0.1" and set(entry.versions) == {"0.9.0", "1.0.0", "1.0.1"}
    # Every other line is as it was.
    assert len(after.splitlines()) == len(before.splitlines()) + 1


def test_publish_refuses_lint_errors(tmp_path: Path, catalogue_dir: Path) -> None:
    document = _overseas(catalogue_dir)
    document["paths"]["/ghosts/{ghostId}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    result = publish(catalogue_dir, "overseas", _proposal(tmp_path, document, "1.1.0"))
    assert result.refused and result.exit_code == 1
    assert result.lint_findings
    lint_reasons = [r for r in result.reasons if r.startswith("lint ")]
    assert len(lint_reasons) == len(result.lint_findings)
    # each names the file and line of the problem
    assert all(re.search(r" at [^ ]*proposal-1\.1\.0\.yaml:\d+: ", r) for r in lint_reasons)


KINDS = ("lint ", "does not look like", "need a major", "would break")


def test_publish_gives_every_refusal_reason_in_one_run(tmp_path: Path, catalogue_dir: Path) -> None:
    document = _without_recharges(_overseas(catalogue_dir))
    document["paths"]["/ghosts/{ghostId}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    document["info"]["title"] = "Another cluster entirely"
    document["servers"] = [{"url": "https://elsewhere.example.org/api"}]
    result = publish(catalogue_dir, "overseas", _proposal(tmp_path, document, "1.1.0"))
    assert result.refused
    kinds = [
        next(
            (k for k in ("lint ", "does not look like", "need a major", "would break") if k in r), r
        )
        for r in result.reasons
    ]
    assert set(kinds) == {"lint ", "does not look like", "need a major", "would break"}, kinds


def test_publish_refuses_a_contract_that_looks_like_another_cluster_s_unless_forced(
    tmp_path: Path, catalogue_dir: Path
) -> None:
    matrix = yaml.safe_load((catalogue_dir / "clusters" / "matrix" / "3.1.0.yaml").read_text())
    proposal = _proposal(tmp_path, matrix, "2.0.0")
    refused = publish(catalogue_dir, "overseas", proposal)
    assert refused.refused
    [unlike] = [r for r in refused.reasons if "does not look like" in r]
    assert "Matrix shared services cluster API" in unlike and "--force" in unlike
    assert not (catalogue_dir / "clusters" / "overseas" / "2.0.0.yaml").exists()
    why = "Overseas moves onto the Matrix platform (decision ADR-42)."
    done = publish(catalogue_dir, "overseas", proposal, force=why, accept_breaking="replatforming")
    assert not done.refused and done.forced_reason == why
    record = yaml.safe_load(
        (catalogue_dir / "clusters" / "overseas" / "2.0.0.accepted.yaml").read_text()
    )
    assert record["forced"] == why


def _version_series() -> list[tuple[Path, Path]]:
    root = CORPORA / "real-specs" / "version-series"
    pairs = []
    for series in sorted(p for p in root.glob("*") if p.is_dir()):
        files = sorted(f for f in series.rglob("*") if f.suffix in {".yaml", ".yml", ".json"})
        pairs += list(itertools.pairwise(files))
    return pairs


def test_a_cluster_s_versions_resemble_each_other_and_not_other_clusters() -> None:
    catalogue = load_catalogue(CATALOGUE)
    contracts = {
        (cid, version): load_contract(file)
        for cid, entry in catalogue.clusters.items()
        for version, file in entry.versions.items()
    }
    for (cid, version), contract in contracts.items():
        for (other, other_version), candidate in contracts.items():
            unlike = resemblance(contract, candidate, cid)
            if other == cid:
                assert unlike is None, (cid, version, other_version)
            else:
                assert unlike is not None, (cid, other)


def test_real_api_versions_resemble_their_predecessors() -> None:
    pairs = _version_series()
    if not pairs:
        pytest.skip("real-spec version series not found")
    for before, after in pairs:
        try:
            old, new = load_contract(before), load_contract(after)
        except ContractError:
            continue
        assert resemblance(old, new, before.parent.name) is None, (before, after)


def test_publish_refuses_an_existing_version(tmp_path: Path, catalogue_dir: Path) -> None:
    result = publish(
        catalogue_dir, "overseas", _proposal(tmp_path, _overseas(catalogue_dir), "1.0.0")
    )
    assert result.refused and any("already published" in r for r in result.reasons)


@pytest.mark.parametrize(("version", "reason"), [("1.1", "not a semantic"), ("0.9.5", "not newer")])
def test_publish_refuses_bad_versions(
    tmp_path: Path, catalogue_dir: Path, version: str, reason: str
) -> None:
    result = publish(
        catalogue_dir, "overseas", _proposal(tmp_path, _overseas(catalogue_dir), version)
    )
    assert result.refused and any(reason in r for r in result.reasons)


def test_publish_refuses_a_minor_bump_with_breaking_changes(
    tmp_path: Path, catalogue_dir: Path
) -> None:
    document = _without_recharges(_overseas(catalogue_dir))
    result = publish(catalogue_dir, "overseas", _proposal(tmp_path, document, "1.1.0"))
    assert result.refused
    [bump] = [r for r in result.reasons if "need a major" in r]
    assert "need a major version bump (2.0.0)" in bump
    assert "GET /recharges: operation.missing" in bump
    assert result.diff is not None and result.diff.breaking


def test_publish_refuses_to_break_programmes_unless_accepted(
    tmp_path: Path, catalogue_dir: Path
) -> None:
    document = _without_recharges(_overseas(catalogue_dir))
    proposal = _proposal(tmp_path, document, "2.0.0")
    refused = publish(catalogue_dir, "overseas", proposal)
    assert refused.refused and refused.reasons == (
        next(r for r in refused.reasons if "would break 2 programme(s)" in r),
    )
    assert refused.impact is not None and refused.impact.broken
    assert not (catalogue_dir / "clusters" / "overseas" / "2.0.0.yaml").exists()
    reason = "Recharges move to the ONE HMG service; agreed at CAB 2026-11-20."
    done = publish(catalogue_dir, "overseas", proposal, accept_breaking=reason)
    assert not done.refused and done.accepted_reason == reason
    record = yaml.safe_load(
        (catalogue_dir / "clusters" / "overseas" / "2.0.0.accepted.yaml").read_text()
    )
    assert record["accepted_breaking"] == reason
    assert {b["programme"] for b in record["breaks"]} == {"one-hmg-overseas", "property-hubs"}
    assert load_catalogue(catalogue_dir).clusters["overseas"].current == "2.0.0"


def test_publish_bad_input_raises(tmp_path: Path, catalogue_dir: Path) -> None:
    proposal = _proposal(tmp_path, _overseas(catalogue_dir), "1.0.1")
    with pytest.raises(UsageError):
        publish(catalogue_dir, "nowhere", proposal)
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\ninfo: [\n")
    with pytest.raises(ContractError, match=r"broken\.yaml"):
        publish(catalogue_dir, "overseas", broken)


def test_index_edit_keeps_everything_else() -> None:
    text = (
        "# top comment\nclusters:\n  a:\n    name: A  # trailing\n    versions:\n"
        "      1.0.0: clusters/a/1.0.0.yaml\n    current: 1.0.0\n  b:\n    versions:\n"
        "      1.0.0: clusters/b/1.0.0.yaml\n    current: 1.0.0\n"
    )
    updated = add_version_to_index(text, "a", "1.1.0", "clusters/a/1.1.0.yaml")
    assert updated == text.replace(
        "      1.0.0: clusters/a/1.0.0.yaml\n    current: 1.0.0\n  b",
        "      1.0.0: clusters/a/1.0.0.yaml\n      1.1.0: clusters/a/1.1.0.yaml\n"
        "    current: 1.1.0\n  b",
    )


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_publish_result_renders(tmp_path: Path, catalogue_dir: Path, fmt: str) -> None:
    from interop.harness.render.impact import render_publish

    document = _without_recharges(_overseas(catalogue_dir))
    result = publish(catalogue_dir, "overseas", _proposal(tmp_path, document, "1.1.0"))
    text = render_publish(result, fmt)
    assert "1.1.0" in text and ("Refused" in text or '"published": false' in text)


def test_impact_reuses_the_check_cache(tmp_path: Path) -> None:
    catalogue = load_catalogue(CATALOGUE)
    proposed = catalogue.clusters["overseas"].versions["0.9.0"]
    first = impact_file(catalogue, "overseas", proposed, cache_dir=tmp_path)
    assert any(tmp_path.rglob("*.json"))
    second = impact_file(catalogue, "overseas", proposed, cache_dir=tmp_path)
    assert [(p.programme, p.verdict, p.findings) for p in first.pairs] == [
        (p.programme, p.verdict, p.findings) for p in second.pairs
    ]


def test_impact_survives_a_broken_consumer_contract(catalogue_dir: Path) -> None:
    (catalogue_dir / "programmes" / "ats" / "overseas.yaml").write_text("openapi: [\n")
    catalogue = load_catalogue(catalogue_dir)
    result = impact_file(catalogue, "overseas", catalogue.clusters["overseas"].versions["0.9.0"])
    ats = next(p for p in result.pairs if p.programme == "ats")
    assert ats.verdict == "error" and ats.findings[0].rule == "contract.load-failed"
    assert "overseas.yaml" in ats.findings[0].message
    assert {p.programme for p in result.broken} == {"one-hmg-overseas", "property-hubs"}
