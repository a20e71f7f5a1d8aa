"""The catalogue index declares event contracts and file interfaces per cluster version, and
programmes their subscriptions and readers: pairs per interface, REST alone by default, and a
declaration that names what does not exist is a one-line ``CatalogueError``."""

from __future__ import annotations

from pathlib import Path

import pytest

from interop.harness.catalogue import INTERFACE_KINDS, Pair, interface_kind, load_catalogue
from interop.harness.errors import CatalogueError, UsageError

REST = "openapi: 3.0.3\ninfo: {title: c, version: 1.0.0}\npaths: {}\n"


def _catalogue(root: Path, *, cluster_extra: str = "", programme_extra: str = "") -> Path:
    (root / "clusters" / "c" / "events").mkdir(parents=True)
    (root / "clusters" / "c" / "files").mkdir()
    (root / "programmes" / "p").mkdir(parents=True)
    for version in ("1.0.0", "2.0.0"):
        (root / "clusters" / "c" / f"{version}.yaml").write_text(REST)
    (root / "catalogue.yaml").write_text(
        "schema_version: 1\nclusters:\n  c:\n    name: C\n    dialect: d\n"
        "    lead_department: x\n"
        "    versions: {1.0.0: clusters/c/1.0.0.yaml, 2.0.0: clusters/c/2.0.0.yaml}\n"
        "    current: 2.0.0\n" + cluster_extra + "programmes: {p: programmes/p}\n"
    )
    (root / "programmes" / "p" / "programme.yaml").write_text(
        "name: P\ndepartment: D\ndescription: d\ncriticality: low\n"
        "integrations: {c: c.yaml}\n" + programme_extra
    )
    return root


EVENTS_2_ONLY = "    events: {2.0.0: clusters/c/events/2.0.0.yaml}\n"
FILES = "    files: {costing: {2.0.0: clusters/c/files/costing.schema.json}}\n"


def test_pairs_are_rest_alone_unless_asked_and_keys_keep_rest_shards(tmp_path):
    root = _catalogue(
        tmp_path,
        cluster_extra=EVENTS_2_ONLY + FILES,
        programme_extra="events: {c: events/c.yaml}\nfiles: {c: {costing: files/c.json}}\n",
    )
    catalogue = load_catalogue(root, project=None)
    assert [p.interface for p in catalogue.pairs()] == ["rest"]
    every = catalogue.pairs(kinds=INTERFACE_KINDS)
    assert [(p.interface, p.provider_file.name, p.version) for p in every] == [
        ("rest", "2.0.0.yaml", "2.0.0"),
        ("events", "2.0.0.yaml", "2.0.0"),
        ("file:costing", "costing.schema.json", "2.0.0"),
    ]
    assert [p.key for p in every] == ["p/c", "p/c/events", "p/c/file:costing"]
    assert [interface_kind(p.interface) for p in every] == ["rest", "events", "file"]
    assert catalogue.programme("p").clusters() == ["c"]
    # a version that publishes no event contract cannot be paired for events
    with pytest.raises(UsageError, match=r"version '1\.0\.0' publishes no event contract"):
        catalogue.pairs({"c": "1.0.0"}, kinds=("events",))
    assert Pair("p", "c", Path("a"), Path("b")).key == "p/c"


@pytest.mark.parametrize(
    ("cluster_extra", "programme_extra", "message"),
    [
        ("    events: {9.9.9: clusters/c/events/9.9.9.yaml}\n", "", "unknown version '9.9.9'"),
        (FILES.replace("costing", "Costing", 1), "", "must be lower-kebab-case"),
        ("", "events: {c: events/c.yaml}\n", "cluster 'c' publishes no event contract"),
        (EVENTS_2_ONLY, "events: {nowhere: events/c.yaml}\n", "events: unknown cluster"),
        (FILES, "files: {c: {payroll: files/c.json}}\n", "has no file 'payroll'"),
    ],
)
def test_a_declaration_of_what_does_not_exist_is_one_line(
    tmp_path, cluster_extra, programme_extra, message
):
    root = _catalogue(tmp_path, cluster_extra=cluster_extra, programme_extra=programme_extra)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root, project=None)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert "catalogue.yaml" in str(caught.value) or "programme.yaml" in str(caught.value)
