"""The bundled catalogue: every fixture record validates against its cluster's contract (formats
asserted), and the whole catalogue loads and lints with zero errors."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from interop.harness.catalogue import load_catalogue
from interop.harness.errors import CatalogueError
from interop.harness.lint import lint
from interop.harness.loading import LoadedContract, load_contract
from interop.harness.parsing import parse_file
from interop.harness.results import Severity
from interop.harness.schema import SchemaSet

CATALOGUE = Path(__file__).resolve().parents[2] / "contracts"
try:
    _CATALOGUE = load_catalogue(CATALOGUE) if (CATALOGUE / "catalogue.yaml").is_file() else None
    _CATALOGUE_ERROR: CatalogueError | None = None
except CatalogueError as exc:  # reported by a test below, not as a collection error
    _CATALOGUE, _CATALOGUE_ERROR = None, exc
CLUSTERS = sorted(_CATALOGUE.clusters) if _CATALOGUE else []
_FORMATS = {
    "date": "31/12/2024",
    "date-time": "2024-12-31 25:00",
    "email": "nobody",
    "uuid": "not-a-uuid",
}


def _fixtures_file(cluster: str) -> Path | None:
    assert _CATALOGUE is not None
    folder = _CATALOGUE.clusters[cluster].fixtures
    if folder is None:
        return None
    file = folder / "fixtures.yaml" if folder.suffix not in (".yaml", ".yml") else folder
    return file if file.is_file() else None


def _load(cluster: str) -> tuple[dict[str, Any], LoadedContract]:
    file = _fixtures_file(cluster)
    if file is None:
        pytest.skip(f"no fixtures for {cluster} yet")
    fixtures = parse_file(file).data
    assert _CATALOGUE is not None
    entry = _CATALOGUE.clusters[cluster]
    assert fixtures["cluster"] == cluster
    assert fixtures["version"] in entry.versions, "fixtures name an unpublished version"
    return fixtures, load_contract(entry.versions[fixtures["version"]])


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_every_fixture_record_validates(cluster: str) -> None:
    fixtures, contract = _load(cluster)
    schemas = SchemaSet(contract)
    paths = {path for _, path, _, _ in contract.operations()}
    problems: list[str] = []
    assert fixtures["collections"], "no collections"
    for collection in fixtures["collections"]:
        name = collection["name"]
        assert collection["path"] in paths, f"{name}: {collection['path']} is not in the contract"
        validator = schemas.validator(f"/components/schemas/{collection['schema']}")
        ids = [record.get(collection["id_field"]) for record in collection["records"]]
        assert None not in ids, f"{name}: a record has no {collection['id_field']}"
        assert len(set(map(str, ids))) == len(ids), f"{name}: duplicate ids"
        for index, record in enumerate(collection["records"]):
            error = validator.first_error(record)
            if error is not None:
                problems.append(f"{name}[{index}] ({ids[index]}): {error}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_formats_are_asserted_on_fixtures(cluster: str) -> None:
    """Breaking one formatted field of a real record must be caught: formats are checked."""
    fixtures, contract = _load(cluster)
    schemas = SchemaSet(contract)
    for collection in fixtures["collections"]:
        pointer = f"/components/schemas/{collection['schema']}"
        schema, _ = contract.resolve({"$ref": "#" + pointer})
        properties = schema.get("properties", {}) if isinstance(schema, dict) else {}
        for record in collection["records"]:
            for field, value in record.items():
                sub = properties.get(field)
                sub = contract.resolve(sub)[0] if isinstance(sub, dict) else None
                fmt = sub.get("format") if isinstance(sub, dict) else None
                if fmt in _FORMATS and isinstance(value, str):
                    broken = copy.deepcopy(record)
                    broken[field] = _FORMATS[fmt]
                    error = schemas.validator(pointer).first_error(broken)
                    assert error is not None, f"{collection['name']}.{field}: {fmt} not asserted"
                    return
    pytest.skip(f"{cluster}: no date, date-time, email or uuid field in its fixtures")


def test_catalogue_loads_and_lints_without_errors() -> None:
    assert _CATALOGUE_ERROR is None, str(_CATALOGUE_ERROR)
    if _CATALOGUE is None:
        pytest.skip("no bundled catalogue")
    result = lint(catalogue_dir=CATALOGUE)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert not errors, "\n".join(
        f"{f.rule} {f.consumer_location or f.provider_location}: {f.message}" for f in errors[:20]
    )
    kinds = {q.kind for q in result.quality}
    assert kinds == {"provider", "consumer", "programme"}
    assert len([q for q in result.quality if q.kind == "programme"]) == len(_CATALOGUE.programmes)


def test_every_catalogue_contract_is_a_declared_file() -> None:
    if _CATALOGUE is None:
        pytest.skip("no bundled catalogue")
    for cluster in _CATALOGUE.clusters.values():
        for version, file in cluster.versions.items():
            assert file.is_file(), f"{cluster.id} {version}: {file} missing"
            assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    for programme in _CATALOGUE.programmes.values():
        for cid, file in programme.consumers.items():
            assert file.is_file(), f"{programme.id} -> {cid}: {file} missing"
