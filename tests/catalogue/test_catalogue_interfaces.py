"""Event contracts and file interfaces in the catalogue's one index (``interfaces:``): pairs per
interface, REST alone by default, shard keys unchanged for REST, the interface version that runs
with a REST version, and a declaration that names what does not exist is a one-line
``CatalogueError``."""

from __future__ import annotations

from pathlib import Path

import pytest

from interop.harness.catalogue import Pair, load_catalogue
from interop.harness.errors import CatalogueError, UsageError

REST = "openapi: 3.0.3\ninfo: {title: c, version: 1.0.0}\npaths: {}\n"


def _catalogue(root: Path, *, cluster_extra: str = "", programme_extra: str = "") -> Path:
    (root / "clusters" / "c" / "events").mkdir(parents=True)
    (root / "clusters" / "c" / "files").mkdir()
    (root / "programmes" / "p").mkdir(parents=True)
    for version in ("1.0.0", "2.0.0", "3.0.0"):
        (root / "clusters" / "c" / f"{version}.yaml").write_text(REST)
    (root / "catalogue.yaml").write_text(
        "schema_version: 1\nenvironments: [production]\nclusters:\n  c:\n    name: C\n"
        "    dialect: d\n    lead_department: x\n"
        "    versions: {1.0.0: clusters/c/1.0.0.yaml, 2.0.0: clusters/c/2.0.0.yaml, "
        "3.0.0: clusters/c/3.0.0.yaml}\n"
        "    current: 2.0.0\n    deployed: {production: 1.0.0}\n"
        + cluster_extra
        + "programmes: {p: programmes/p}\n"
    )
    (root / "programmes" / "p" / "programme.yaml").write_text(
        "name: P\ndepartment: D\ndescription: d\ncriticality: low\n"
        "integrations: {c: c.yaml}\n" + programme_extra
    )
    return root


INTERFACES = (
    "    interfaces:\n"
    "      events:\n"
    "        versions: {1.0.0: clusters/c/events/1.0.0.yaml, 2.0.0: clusters/c/events/2.0.0.yaml,"
    " 2.1.0: clusters/c/events/2.1.0.yaml}\n"
    "        current: 2.0.0\n"
    "      costing:\n"
    "        versions: {2.0.0: clusters/c/files/costing.schema.json}\n"
    "        current: 2.0.0\n"
)
CONSUMES = "interfaces: {c: {events: events/c.yaml, costing: files/c.json}}\n"


def test_pairs_are_rest_alone_unless_asked_and_keys_keep_rest_shards(tmp_path):
    root = _catalogue(tmp_path, cluster_extra=INTERFACES, programme_extra=CONSUMES)
    catalogue = load_catalogue(root, project=None)
    assert [p.interface for p in catalogue.pairs()] == ["rest"]
    every = catalogue.pairs(interfaces=True)
    assert [(p.interface, p.provider_file.name, p.version) for p in every] == [
        ("rest", "2.0.0.yaml", "2.0.0"),
        ("costing", "costing.schema.json", "2.0.0"),
        ("events", "2.0.0.yaml", "2.0.0"),
    ]
    assert [p.key for p in every] == ["p/c", "p/c/costing", "p/c/events"]
    assert [p.key for p in catalogue.interface_pairs()] == ["p/c/costing", "p/c/events"]
    assert catalogue.programme("p").clusters() == ["c"]
    assert list(catalogue.programme("p").interfaces_with("c")) == ["rest", "costing", "events"]
    assert Pair("p", "c", Path("a"), Path("b")).key == "p/c"


def test_a_rest_version_runs_the_interface_version_of_its_name_else_current(tmp_path):
    root = _catalogue(tmp_path, cluster_extra=INTERFACES, programme_extra=CONSUMES)
    catalogue = load_catalogue(root, project=None)
    cluster = catalogue.cluster("c")
    # named like the REST version: that one (2.1.0 runs with no REST version: never chosen)
    assert cluster.interface_version("events", "1.0.0") == "1.0.0"
    assert cluster.interface_file("events", "1.0.0").name == "1.0.0.yaml"
    # no version of its name: the interface's current
    assert cluster.interface_version("events", "3.0.0") == "2.0.0"
    assert cluster.interface_version("costing", "1.0.0") == "2.0.0"
    assert cluster.interface_version("events") == "2.0.0"
    assert cluster.interface_version("rest", "1.0.0") == "1.0.0"
    # what an environment runs: the deployed REST version and the interfaces running with it
    deployed = catalogue.deployed_in("production")
    by_interface = {p.interface: p.version for p in catalogue.pairs(deployed, interfaces=True)}
    assert by_interface == {"rest": "1.0.0", "events": "1.0.0", "costing": "2.0.0"}
    with pytest.raises(UsageError, match=r"has no version '9\.9'"):
        cluster.interface_version("events", "9.9")
    with pytest.raises(UsageError, match="publishes no interface 'payroll'"):
        cluster.interface_file("payroll")


@pytest.mark.parametrize(
    ("cluster_extra", "programme_extra", "message"),
    [
        (INTERFACES.replace("costing:", "Costing:", 1), "", "must be lower-kebab-case"),
        (INTERFACES.replace("costing:", "rest:", 1), "", "'rest' is the cluster's API"),
        ("", "interfaces: {c: {events: events/c.yaml}}\n", "publishes no interface 'events'"),
        (INTERFACES, "interfaces: {nowhere: {events: events/c.yaml}}\n", "unknown cluster"),
        (INTERFACES, "interfaces: {c: {payroll: files/c.json}}\n", "no interface 'payroll'"),
        ("    events: {2.0.0: clusters/c/events/2.0.0.yaml}\n", "", "events"),
        ("", "events: {c: events/c.yaml}\n", "events"),
    ],
)
def test_a_declaration_of_what_does_not_exist_is_one_line(
    tmp_path, cluster_extra, programme_extra, message
):
    """Including evcat's retired ``events:``/``files:`` keys: one index, ``interfaces:``."""
    root = _catalogue(tmp_path, cluster_extra=cluster_extra, programme_extra=programme_extra)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root, project=None)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert "catalogue.yaml" in str(caught.value) or "programme.yaml" in str(caught.value)
