"""check_pair, check (filters, shards, processes, cache, broken contracts) and check_files."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.catalogue import load_catalogue, parse_shard
from interop.harness.check import check, check_files, check_pair
from interop.harness.errors import CatalogueError, ContractError
from interop.harness.loading import load_contract, load_document
from interop.harness.results import PairStatus, Severity

# The module, not the function that interop.harness exports under the same name.
check_module = importlib.import_module("interop.harness.check")

CASES = Path(__file__).resolve().parents[1] / "cases"


def _op(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
            "responses": {"201": {"description": "created"}},
        }
    }


def _doc(schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.2.3"},
        "paths": {"/workers": _op(schema)},
        **extra,
    }


NAME_100 = {
    "type": "object",
    "required": ["CustomerName"],
    "additionalProperties": False,
    "properties": {"CustomerName": {"type": "string", "maxLength": 100}},
}
NAME_40 = {
    "type": "object",
    "required": ["CustomerName"],
    "properties": {"CustomerName": {"type": "string", "maxLength": 40}},
}


def test_check_pair_reports_a_verified_minimal_counterexample() -> None:
    consumer = load_document(_doc(NAME_100), file="consumer.yaml")
    provider = load_document(_doc(NAME_40), file="provider.yaml")
    pair, findings = check_pair(
        consumer, provider, programme="debt-market-integrator", cluster="unity"
    )
    assert pair.status is PairStatus.INCOMPATIBLE
    assert pair.operations == ("POST /workers",)
    (finding,) = findings
    assert finding.rule == "request.body.max-length"
    assert finding.severity is Severity.ERROR
    assert finding.operation == "POST /workers"
    assert "limits `CustomerName` to 40 characters" in finding.message
    assert "debt-market-integrator may send up to 100" in finding.message
    assert finding.counterexample is not None
    assert finding.counterexample.where == "body"
    value = finding.counterexample.value
    assert list(value) == ["CustomerName"] and len(value["CustomerName"]) == 41  # shrunk
    assert value["CustomerName"].isascii()
    assert finding.counterexample.media_type == "application/json"
    assert finding.consumer_location is not None and finding.consumer_location.line
    assert finding.provider_location is not None
    assert finding.provider_location.file == "provider.yaml"
    assert finding.provider_location.pointer.endswith("/schema/properties/CustomerName/maxLength")


def test_compatible_pair_and_seed_determinism() -> None:
    consumer = load_document(_doc(NAME_40), file="c.yaml")
    provider = load_document(_doc(NAME_100), file="p.yaml")
    pair, findings = check_pair(consumer, provider, programme="p", cluster="c")
    assert pair.status is PairStatus.COMPATIBLE and findings == ()
    pattern = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[A-Z]{2}"}}}
    loose = {"type": "object", "properties": {"code": {"type": "string"}}}
    runs = [
        check_pair(
            load_document(_doc(loose)),
            load_document(_doc(pattern)),
            programme="p",
            cluster="c",
            seed=3,
        )
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert runs[0][1][0].rule == "request.body.pattern"
    assert runs[0][1][0].evidence == "static"


def test_a_schema_reused_by_two_responses_is_reported_once_per_operation() -> None:
    item = {"type": "object", "properties": {"id": {"type": "integer"}}}
    wants = {"type": "object", "properties": {"id": {"type": "string"}}}

    def doc(schema: dict[str, Any]) -> dict[str, Any]:
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/W"}}}
        return {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/w": {
                    "get": {
                        "responses": {
                            "200": {"description": "a", "content": content},
                            "203": {"description": "b", "content": content},
                        }
                    }
                }
            },
            "components": {"schemas": {"W": schema}},
        }

    _, findings = check_pair(
        load_document(doc(wants)), load_document(doc(item)), programme="p", cluster="c"
    )
    assert [f.rule for f in findings] == ["response.body.type"]


def _catalogue(tmp: Path) -> Path:
    root = tmp / "cat"
    (root / "clusters" / "alpha").mkdir(parents=True)
    (root / "clusters" / "beta").mkdir(parents=True)
    shutil.copy(
        CASES / "request.body.max-length/pass/provider.yaml", root / "clusters/alpha/1.0.yaml"
    )
    shutil.copy(CASES / "request.body.enum/fail/provider.yaml", root / "clusters/beta/1.0.yaml")
    programmes = {}
    for pid, files in {
        "one": {
            "alpha": "request.body.max-length/fail/consumer.yaml",
            "beta": "request.body.enum/fail/consumer.yaml",
        },
        "two": {
            "alpha": "request.body.max-length/pass/consumer.yaml",
            "beta": "request.body.enum/pass/consumer.yaml",
        },
    }.items():
        folder = root / "programmes" / pid
        folder.mkdir(parents=True)
        for cid, case in files.items():
            shutil.copy(CASES / case, folder / f"{cid}.yaml")
        (folder / "programme.yaml").write_text(
            yaml.safe_dump(
                {
                    "name": pid,
                    "department": "D",
                    "description": "d",
                    "criticality": "low",
                    "integrations": {cid: f"{cid}.yaml" for cid in files},
                }
            )
        )
        programmes[pid] = f"programmes/{pid}"
    clusters = {
        cid: {
            "name": cid.title(),
            "dialect": "x",
            "lead_department": "D",
            "versions": {"1.0": f"clusters/{cid}/1.0.yaml"},
            "current": "1.0",
        }
        for cid in ("alpha", "beta")
    }
    (root / "catalogue.yaml").write_text(
        yaml.safe_dump({"schema_version": 1, "clusters": clusters, "programmes": programmes})
    )
    return root


def _verdicts(result: Any) -> dict[str, str]:
    return {f"{p.programme}/{p.cluster}": p.status.value for p in result.pairs}


def test_check_a_catalogue(tmp_path: Path) -> None:
    catalogue = load_catalogue(_catalogue(tmp_path))
    seen: list[tuple[int, int]] = []
    result = check(catalogue, seed=5, max_examples=10, progress=lambda d, t: seen.append((d, t)))
    assert _verdicts(result) == {
        "one/alpha": "incompatible",
        "one/beta": "incompatible",
        "two/alpha": "compatible",
        "two/beta": "compatible",
    }
    assert {
        (f.programme, f.cluster, f.rule) for f in result.findings if f.severity is Severity.ERROR
    } == {("one", "alpha", "request.body.max-length"), ("one", "beta", "request.body.enum")}
    assert "Alpha limits" in next(f.message for f in result.findings if f.cluster == "alpha")
    assert seen[-1] == (4, 4)
    assert result.run.seed == 5 and result.run.max_examples == 10
    assert result.tool_version
    assert result.exit_code == 1
    only = check(catalogue, programmes=["two"], clusters=["beta"])
    assert _verdicts(only) == {"two/beta": "compatible"} and only.exit_code == 0
    shards = [check(catalogue, shard=parse_shard(f"{k}/3")) for k in (1, 2, 3)]
    assert sorted(p for s in shards for p in _verdicts(s)) == sorted(_verdicts(result))


def test_processes_give_identical_results(tmp_path: Path) -> None:
    catalogue = load_catalogue(_catalogue(tmp_path))
    one = check(catalogue, jobs=1)
    two = check(catalogue, jobs=2)
    assert one.pairs == two.pairs and one.findings == two.findings


def test_cache_makes_an_unchanged_pair_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _catalogue(tmp_path)
    catalogue = load_catalogue(root)
    cache = root / ".interop" / "cache"
    cold = check(catalogue, cache_dir=cache)
    assert list(cache.rglob("*.json"))

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(check_module, "check_pair", boom)
    warm = check(catalogue, cache_dir=cache)
    assert warm.pairs == cold.pairs and warm.findings == cold.findings
    monkeypatch.undo()
    # A changed contract misses the cache; the others still hit.
    consumer = root / "programmes/two/alpha.yaml"
    consumer.write_text(consumer.read_text().replace("maxLength: 40", "maxLength: 41"))
    changed = check(load_catalogue(root), cache_dir=cache)
    assert _verdicts(changed)["two/alpha"] == "incompatible"
    other = check(load_catalogue(root), cache_dir=cache, seed=1)
    assert _verdicts(other) == _verdicts(changed)


def test_another_engine_misses_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _catalogue(tmp_path)
    catalogue = load_catalogue(root)
    cache = root / ".interop" / "cache"
    cold = check(catalogue, cache_dir=cache)
    judged: list[tuple[str, str]] = []
    real = check_module.check_pair

    def counting(*args: Any, **kwargs: Any) -> Any:
        judged.append((kwargs["programme"], kwargs["cluster"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(check_module, "check_pair", counting)
    assert check(catalogue, cache_dir=cache).pairs == cold.pairs and not judged
    # An edited engine file or another library version: a new fingerprint, every pair judged.
    monkeypatch.setattr(check_module, "engine_fingerprint", lambda: "another engine")
    again = check(catalogue, cache_dir=cache)
    assert again.pairs == cold.pairs and again.findings == cold.findings
    assert sorted(judged) == sorted((p.programme, p.cluster) for p in cold.pairs)


def test_a_broken_contract_is_an_error_pair_not_an_abort(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    (root / "programmes/one/alpha.yaml").write_text("openapi: 3.0.3\npaths: [unclosed\n")
    result = check(load_catalogue(root))
    assert _verdicts(result)["one/alpha"] == "error"
    assert _verdicts(result)["two/alpha"] == "compatible"
    (failed,) = [f for f in result.findings if f.rule == "contract.load-failed"]
    assert failed.programme == "one" and failed.consumer_location is not None
    assert result.exit_code == 1


def test_a_missing_catalogue_is_a_catalogue_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError):
        load_catalogue(tmp_path / "nowhere")


def test_check_files_names_the_pair(tmp_path: Path) -> None:
    consumer = tmp_path / "my-programme.yaml"
    consumer.write_text(yaml.safe_dump(_doc(NAME_100)))
    provider = tmp_path / "unity.yaml"
    provider.write_text(yaml.safe_dump(_doc(NAME_40)))
    result = check_files(consumer, provider)
    assert [(p.programme, p.cluster) for p in result.pairs] == [("my-programme", "unity")]
    assert result.exit_code == 1
    consumer.write_text(
        yaml.safe_dump(_doc(NAME_100, **{"x-interop": {"programme": "ats", "cluster": "matrix"}}))
    )
    assert [(p.programme, p.cluster) for p in check_files(consumer, provider).pairs] == [
        ("ats", "matrix")
    ]
    provider.write_text("openapi: [")
    with pytest.raises(ContractError):
        check_files(consumer, provider)


def test_bundled_catalogue_consumer_against_provider() -> None:
    root = Path(__file__).resolve().parents[2] / "contracts"
    consumer = root / "programmes/debt-market-integrator/unity.yaml"
    if not consumer.is_file():
        pytest.skip("bundled catalogue not written yet")
    catalogue = load_catalogue(root)
    provider = catalogue.clusters["unity"].current_file
    pair, findings = check_pair(
        load_contract(consumer),
        load_contract(provider),
        programme="debt-market-integrator",
        cluster="unity",
    )
    assert pair.status is PairStatus.INCOMPATIBLE
    assert any(f.rule == "request.body.max-length" for f in findings)


def test_parameters_travel_as_text() -> None:
    def doc(schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/w": {
                    "get": {
                        "parameters": [
                            {"name": "n", "in": "query", "required": True, "schema": schema}
                        ],
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            },
        }

    number = {"type": "integer", "minimum": 0, "maximum": 99}
    text = {"type": "string", "maxLength": 2}
    _, findings = check_pair(
        load_document(doc(number)), load_document(doc(text)), programme="p", cluster="c"
    )
    assert findings == ()  # 7 is sent as "7": a string of at most 2 characters
    _, findings = check_pair(
        load_document(doc(text)), load_document(doc(number)), programme="p", cluster="c"
    )
    assert [f.rule for f in findings] == ["request.parameter.type"]


def _get(schema: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/orgs": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": schema}},
                        }
                    }
                }
            }
        },
    }


def test_recursive_schemas_are_compared() -> None:
    def org(limit: int) -> dict[str, Any]:
        return {"$ref": "#/components/schemas/Org"}, {
            "schemas": {
                "Org": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": limit},
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Org"},
                        },
                    },
                }
            }
        }

    def doc(limit: int) -> dict[str, Any]:
        schema, components = org(limit)
        return {**_get(schema), "components": components}

    _, findings = check_pair(
        load_document(doc(10)), load_document(doc(40)), programme="p", cluster="c"
    )
    assert [f.rule for f in findings] == ["response.body.max-length"]
    _, findings = check_pair(
        load_document(doc(40)), load_document(doc(10)), programme="p", cluster="c"
    )
    assert findings == ()


def test_openapi_31_null_against_30_nullable() -> None:
    reads_31 = {"type": "object", "properties": {"d": {"type": ["string", "null"]}}}
    returns_30 = {"type": "object", "properties": {"d": {"type": "string", "nullable": True}}}
    reads_strict = {"type": "object", "properties": {"d": {"type": "string"}}}
    _, findings = check_pair(
        load_document(_get(reads_31, "3.1.0")),
        load_document(_get(returns_30)),
        programme="p",
        cluster="c",
    )
    assert findings == ()
    _, findings = check_pair(
        load_document(_get(reads_strict, "3.1.0")),
        load_document(_get(returns_30)),
        programme="p",
        cluster="c",
    )
    assert [f.rule for f in findings] == ["response.body.nullable"]
    assert findings[0].counterexample is not None
    assert findings[0].counterexample.value == {"d": None}


def test_swagger_20_provider_goes_through_conversion(tmp_path: Path) -> None:
    provider = tmp_path / "legacy.yaml"
    provider.write_text(
        yaml.safe_dump(
            {
                "swagger": "2.0",
                "info": {"title": "legacy", "version": "1"},
                "paths": {
                    "/orgs": {
                        "get": {
                            "produces": ["application/json"],
                            "responses": {
                                "200": {
                                    "description": "ok",
                                    "schema": {
                                        "type": "object",
                                        "properties": {"name": {"type": "string", "maxLength": 50}},
                                    },
                                }
                            },
                        }
                    }
                },
            }
        )
    )
    consumer = tmp_path / "reader.yaml"
    consumer.write_text(
        yaml.safe_dump(
            _get({"type": "object", "properties": {"name": {"type": "string", "maxLength": 20}}})
        )
    )
    result = check_files(consumer, provider)
    assert [f.rule for f in result.findings] == ["response.body.max-length"]


def test_check_carries_the_catalogues_data_quality_table(tmp_path: Path) -> None:
    from interop.harness.lint import catalogue_quality, lint

    catalogue = load_catalogue(_catalogue(tmp_path))
    result = check(catalogue, programmes=["two"], clusters=["beta"])
    # The whole catalogue's table, whatever the selection: it is lint's, as the report shows it.
    assert result.quality == catalogue_quality(catalogue)
    assert result.quality == lint(catalogue_dir=catalogue.root).quality
    assert {q.subject for q in result.quality} >= {"one", "two", "alpha 1.0", "two -> beta"}
    assert check(catalogue, programmes=["two"], quality=False).quality == ()
