"""``diff`` on real material: catalogue versions, real version series; and its renderings."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from interop.harness.catalogue import load_catalogue
from interop.harness.diff import DiffResult, diff, diff_files, diff_versions
from interop.harness.errors import UsageError
from interop.harness.loading import load_document
from interop.harness.render.diff import DIFF_FORMATS, render_diff, render_diff_text

CATALOGUE = Path(__file__).resolve().parents[3] / "contracts"
SERIES = (
    Path(__file__).resolve().parents[4] / "shared" / "corpora" / "real-specs" / "version-series"
)


def test_catalogue_form_additive_release_is_not_breaking() -> None:
    result = diff_versions(load_catalogue(CATALOGUE), "unity", "2.3.0", "2.4.0")
    assert result.old.version == "2.3.0" and result.new.version == "2.4.0"
    assert result.exit_code == 0
    assert any(c.rule == "operation.added" for c in result.changes)


def test_catalogue_form_reports_the_defence_breaks() -> None:
    result = diff_versions(load_catalogue(CATALOGUE), "defence", "1.0.0", "2.0.0")
    rules = {(c.rule, c.operation) for c in result.breaking}
    assert ("request.body.required", "POST /newHires") in rules
    assert ("response.body.enum", "GET /workers") in rules
    assert result.exit_code == 1


def test_catalogue_form_unknown_version_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"no version '9\.9\.9'"):
        diff_versions(load_catalogue(CATALOGUE), "unity", "2.3.0", "9.9.9")


def _series() -> list[tuple[Path, Path]]:
    if not SERIES.is_dir():
        return []
    pairs = []
    for folder in sorted(SERIES.iterdir()):
        files = sorted(folder.iterdir())
        pairs += list(itertools.pairwise(files))
    return pairs


@pytest.mark.parametrize(("old", "new"), _series(), ids=lambda p: p.name)
def test_real_version_series_diff_readably(old: Path, new: Path) -> None:
    result = diff_files(old, new)
    assert result.changes
    text = render_diff_text(result)
    assert text.startswith("interop diff: ")
    assert "breaking change" in text.splitlines()[1]
    for bad in ("None", "{'", "Issue(", "Traceback"):
        assert bad not in text, bad
    for line in text.splitlines():
        if "BREAKING" in line:
            assert ": " in line  # rule: message


def _fixture() -> DiffResult:
    old = CATALOGUE / "clusters" / "defence" / "1.0.0.yaml"
    new = CATALOGUE / "clusters" / "defence" / "2.0.0.yaml"
    return diff_files(old, new)


def test_json_shape() -> None:
    document = json.loads(render_diff(_fixture(), "json"))
    assert document["schema_version"] == 1
    assert document["summary"]["exit_code"] == 1
    change = next(c for c in document["changes"] if c["breaking"] and c["operation"])
    assert set(change) >= {"rule", "breaking", "side", "operation", "location", "message"}
    assert set(change["location"]) == {"old", "new"}
    assert set(change["location"]["new"]) == {"file", "pointer", "line"}


@pytest.mark.parametrize("fmt", DIFF_FORMATS)
def test_every_format_renders(fmt: str) -> None:
    assert "newHires" in render_diff(_fixture(), fmt)


def test_unknown_format() -> None:
    with pytest.raises(UsageError):
        render_diff(_fixture(), "sarif")


def test_contract_text_is_escaped(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>|[x](http://e)"
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    base = (
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n"
        "          content:\n            application/json:\n              schema:\n"
        "                type: object\n                required: [%s]\n"
        "                properties:\n                  %s: {type: string}\n"
    )
    name = json.dumps(evil)
    old.write_text(base % (name, name))
    new.write_text(base.replace("                required: [%s]\n", "") % name)
    result = diff_files(old, new)
    assert result.breaking
    page = render_diff(result, "html")
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    markdown = render_diff(result, "markdown")
    assert "<script>" not in markdown and "](http" not in markdown


def _version_pairs() -> list[tuple[str, str, str]]:
    catalogue = load_catalogue(CATALOGUE)
    pairs = []
    for cid, entry in sorted(catalogue.clusters.items()):
        first, second = list(entry.versions)[:2]
        pairs += [(cid, first, second), (cid, second, first)]
    return pairs


@pytest.mark.parametrize(("cluster", "old", "new"), _version_pairs())
def test_breaking_exactly_when_check_finds_old_as_consumer_incompatible(
    cluster: str, old: str, new: str
) -> None:
    """The semantics, checked end to end: OLD used as a consumer contract against NEW gives
    error findings in ``interop check`` exactly for the breaking changes ``diff`` reports."""
    from interop.harness.check import check_pair
    from interop.harness.loading import load_contract

    catalogue = load_catalogue(CATALOGUE)
    entry = catalogue.clusters[cluster]
    old_contract = load_contract(entry.versions[old])
    new_contract = load_contract(entry.versions[new])
    result = diff_versions(catalogue, cluster, old, new)
    _, findings = check_pair(
        old_contract, new_contract, programme="old", cluster="new", max_examples=10
    )
    engine = {(f.rule, f.operation) for f in findings if f.severity == "error"}
    ours = {
        (c.rule, c.operation)
        for c in result.breaking
        if c.operation is not None and c.rule not in REMOVED_INPUT
    }
    assert ours == engine
    # The one deliberate difference (docs/rules.md): a request input the provider no longer
    # declares is breaking for diff, while check, judging two independent contracts, only
    # warns about an undeclared parameter or body (and says nothing of an undeclared property
    # sent to an open schema).
    warned = {(f.rule, f.operation) for f in findings if f.severity == "warning"}
    for change in result.breaking:
        counterpart = REMOVED_INPUT.get(change.rule)
        if counterpart is not None and change.operation is not None:
            assert (counterpart, change.operation) in warned


REMOVED_INPUT: dict[str, str | None] = {
    "request.parameter.removed": "request.parameter.unknown",
    "request.body.removed": "request.body.unexpected",
    "request.body.property-removed": None,
    "request.parameter.property-removed": None,
}


SHARED_OLD: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {"get": {"responses": {"200": {"description": "ok"}}}},
        "/w": {
            method: {
                "requestBody": {
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/W"}}}
                },
                "responses": {"200": {"description": "ok"}},
            }
            for method in ("post", "put")
        },
    },
    "components": {
        "schemas": {
            "W": {
                "type": "object",
                "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            }
        }
    },
}


def test_a_shared_component_s_change_is_counted_once_with_the_operations_it_reaches() -> None:
    new = copy.deepcopy(SHARED_OLD)
    del new["paths"]["/a"]
    new["components"]["schemas"]["W"]["required"] = ["b"]
    result = diff(load_document(SHARED_OLD), load_document(new))
    distinct = result.distinct_breaking
    assert len(distinct) == 2, distinct  # the removed operation, and `b` required once
    [shared] = [d for d in distinct if d.change.operation is None]
    assert shared.reaches == ("POST /w", "PUT /w")
    text = render_diff(result, "text")
    assert text.splitlines()[1].startswith("2 breaking changes")
    assert "(reaches POST /w, PUT /w)" in text
    assert text.count("request.body.required") == 1
    document = json.loads(render_diff(result, "json"))
    assert document["summary"]["breaking"] == 2
    [root] = [c for c in document["changes"] if c["operation"] is None]
    assert root["reaches"] == ["POST /w", "PUT /w"]
    markdown = render_diff(result, "markdown")
    assert "2 breaking changes" in markdown and "reaches POST /w, PUT /w" in markdown
    page = render_diff(result, "html")
    assert page.count("request.body.required") == 1 and "reaches POST /w, PUT /w" in page
