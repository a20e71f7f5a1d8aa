"""The catalogue's judgement policy: which unhandled error statuses are reported.

Read from ``catalogue.yaml``, applied by the engine (not by a renderer), part of the cache key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from interop.harness.catalogue import load_catalogue
from interop.harness.check import check, check_files
from interop.harness.cli import app
from interop.harness.codec import policy_to_dict
from interop.harness.errors import CatalogueError
from interop.harness.policy import DEFAULT_POLICY, Policy

UNHANDLED = "response.status.unhandled-error"


def _contract(statuses: list[str]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {s: {"description": s} for s in statuses},
                }
            }
        },
    }


def _catalogue(tmp: Path, policy: object | None) -> Path:
    """One programme handling 200 only, against a provider that may answer 400, 404, 5XX."""
    root = tmp / "cat"
    (root / "clusters" / "alpha").mkdir(parents=True)
    (root / "programmes" / "one").mkdir(parents=True)
    (root / "clusters/alpha/1.0.yaml").write_text(
        yaml.safe_dump(_contract(["200", "400", "404", "5XX"]))
    )
    (root / "programmes/one/alpha.yaml").write_text(yaml.safe_dump(_contract(["200"])))
    (root / "programmes/one/programme.yaml").write_text(
        yaml.safe_dump(
            {
                "name": "One",
                "department": "D",
                "description": "d",
                "criticality": "low",
                "integrations": {"alpha": "alpha.yaml"},
            }
        )
    )
    index: dict[str, Any] = {
        "schema_version": 1,
        "clusters": {
            "alpha": {
                "name": "Alpha",
                "dialect": "x",
                "lead_department": "D",
                "versions": {"1.0": "clusters/alpha/1.0.yaml"},
                "current": "1.0",
            }
        },
        "programmes": {"one": "programmes/one"},
    }
    if policy is not None:
        index["policy"] = {"unhandled-error-statuses": policy}
    (root / "catalogue.yaml").write_text(yaml.safe_dump(index))
    return root


def _unhandled(root: Path, cache: Path | None = None) -> list[str]:
    result = check(load_catalogue(root, project=None), cache_dir=cache, quality=False)
    found = [f for f in result.findings if f.rule == UNHANDLED]
    assert all(f.counterexample is not None and f.counterexample.where == "status" for f in found)
    return sorted(f.counterexample.status or "" for f in found if f.counterexample)


def test_the_default_reports_every_unhandled_error_status(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, None)
    assert load_catalogue(root, project=None).policy == DEFAULT_POLICY
    assert _unhandled(root) == ["400", "404", "5XX"]


@pytest.mark.parametrize(
    ("policy", "reported"),
    [
        ("warn", ["400", "404", "5XX"]),
        ("ignore", []),
        (["404"], ["404"]),
        (["503"], ["5XX"]),  # the provider's 5XX may be a 503
        (["4XX"], ["400", "404"]),  # a listed range covers its statuses
        ([409, "4xx"], ["400", "404"]),  # numbers and lower-case ranges are read as statuses
    ],
)
def test_the_policy_decides_which_statuses_are_reported(
    tmp_path: Path, policy: object, reported: list[str]
) -> None:
    assert _unhandled(_catalogue(tmp_path, policy)) == reported


def test_an_unhandled_2xx_stays_an_error_whatever_the_policy(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, "ignore")
    consumer = root / "programmes/one/alpha.yaml"
    provider = root / "clusters/alpha/1.0.yaml"
    provider.write_text(yaml.safe_dump(_contract(["200", "202", "400"])))
    consumer.write_text(yaml.safe_dump(_contract(["200"])))
    result = check(load_catalogue(root, project=None), quality=False)
    assert [f.rule for f in result.findings] == ["response.status.unhandled"]


def test_a_changed_policy_changes_the_cached_result(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, "warn")
    cache = tmp_path / "cache"
    assert _unhandled(root, cache) == ["400", "404", "5XX"]
    index = root / "catalogue.yaml"
    index.write_text(
        index.read_text().replace(
            "unhandled-error-statuses: warn", "unhandled-error-statuses: ignore"
        )
    )
    assert _unhandled(root, cache) == []
    index.write_text(
        index.read_text().replace(
            "unhandled-error-statuses: ignore", "unhandled-error-statuses: warn"
        )
    )
    assert _unhandled(root, cache) == ["400", "404", "5XX"]


@pytest.mark.parametrize(
    ("setting", "policy"),
    [
        (None, DEFAULT_POLICY),
        ("ignore", Policy(unhandled_error_statuses="ignore")),
        (["5xx", 404], Policy(unhandled_error_statuses=("404", "5XX"))),
    ],
    ids=["default", "ignore", "listed"],
)
def test_a_catalogue_check_says_which_policy_it_applied(
    tmp_path: Path, setting: object, policy: Policy
) -> None:
    root = _catalogue(tmp_path, setting)
    cache = tmp_path / "cache"
    for _ in range(2):  # judged, then every pair from the cache: the run states it both times
        result = check(load_catalogue(root, project=None), cache_dir=cache, quality=False)
        assert result.run.policy == policy
    json_out = CliRunner().invoke(
        app, ["check", "--catalogue", str(root), "--format", "json", "--no-reports"]
    )
    assert json_out.exit_code == 0, json_out.output
    assert json.loads(json_out.stdout)["run"]["policy"] == policy_to_dict(policy)


def test_an_adhoc_check_states_the_default_policy(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, "ignore")  # a catalogue's policy is not an ad-hoc pair's
    consumer = root / "programmes/one/alpha.yaml"
    provider = root / "clusters/alpha/1.0.yaml"
    assert check_files(consumer, provider).run.policy == DEFAULT_POLICY
    args = ["check", "--consumer", str(consumer), "--provider", str(provider)]
    done = CliRunner().invoke(app, [*args, "--format", "json", "--no-reports"])
    assert json.loads(done.stdout)["run"]["policy"] == {"unhandled_error_statuses": "warn"}
    assert sorted(f["rule"] for f in json.loads(done.stdout)["findings"]) == [UNHANDLED] * 3


def test_conform_over_a_catalogue_says_which_policy_its_static_verdict_applied(
    tmp_path: Path,
) -> None:
    from interop.harness.conform import ConformOptions, conform, conform_files

    root = _catalogue(tmp_path, ["404"])
    index = root / "catalogue.yaml"  # a dialect the mock knows
    index.write_text(index.read_text().replace("dialect: x", "dialect: generic"))
    options = ConformOptions(max_examples=2, seed=1)
    result = conform(load_catalogue(root, project=None), options=options)
    assert result.run.policy == Policy(unhandled_error_statuses=("404",))
    consumer = root / "programmes/one/alpha.yaml"
    provider = root / "clusters/alpha/1.0.yaml"
    adhoc = conform_files(consumer, provider_file=provider, options=options)
    assert adhoc.run.policy == DEFAULT_POLICY


@pytest.mark.parametrize("bad", ["sometimes", ["200"], ["4X"], ["999"]])
def test_a_bad_policy_is_a_catalogue_error_naming_file_and_line(
    tmp_path: Path, bad: object
) -> None:
    root = _catalogue(tmp_path, bad)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(root, project=None)
    text = str(caught.value)
    assert "catalogue.yaml" in text and "policy" in text
    assert "\n" not in text


statuses = st.sampled_from(["400", "401", "403", "404", "409", "429", "500", "503", "4XX", "5XX"])


@given(listed=st.lists(statuses, max_size=4), status=statuses)
def test_a_listed_status_needs_handling_and_warn_ignore_bracket_every_list(
    listed: list[str], status: str
) -> None:
    policy = Policy(unhandled_error_statuses=tuple(listed))
    needs = policy.needs_handling(status)
    if status in listed:
        assert needs
    if not listed:
        assert not needs
    # a policy is between ignore and warn, and adding a status never takes one away
    assert Policy(unhandled_error_statuses="warn").needs_handling(status)
    assert not Policy(unhandled_error_statuses="ignore").needs_handling(status)
    wider = Policy(unhandled_error_statuses=(*listed, "404"))
    assert wider.needs_handling(status) or not needs
    assert Policy(unhandled_error_statuses=tuple(reversed(listed))) == policy


def test_the_bundled_catalogue_sets_a_policy() -> None:
    root = Path(__file__).resolve().parents[2] / "contracts"
    policy = load_catalogue(root, project=None).policy
    assert policy.needs_handling("404") and policy.needs_handling("429")
    assert not policy.needs_handling("403") and not policy.needs_handling("400")


def _webhook_contract(statuses: list[str]) -> dict[str, Any]:
    """OpenAPI 3.1 with one webhook whose receiver may answer ``statuses``."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1.0.0"},
        "paths": {},
        "webhooks": {
            "workerHired": {
                "post": {
                    "requestBody": {
                        "content": {"application/json": {"schema": {"type": "object"}}}
                    },
                    "responses": {s: {"description": s} for s in statuses},
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("policy", "reported"),
    [
        (DEFAULT_POLICY, ["409", "503"]),
        (Policy(unhandled_error_statuses="ignore"), []),
        (Policy(unhandled_error_statuses=("409",)), ["409"]),
    ],
)
def test_the_policy_also_decides_which_receiver_error_answers_a_webhook_sender_must_handle(
    policy: Policy, reported: list[str]
) -> None:
    """Read the other way round: the cluster sends the webhook and must handle what the
    programme's receiver may answer; the same policy says which error statuses need it."""
    from interop.harness.check import check_pair
    from interop.harness.loading import load_document

    provider = load_document(_webhook_contract(["200"]))
    consumer = load_document(_webhook_contract(["200", "409", "503"]))
    _, findings = check_pair(consumer, provider, programme="one", cluster="alpha", policy=policy)
    unhandled = [f for f in findings if f.rule == "webhook.response.unhandled-error"]
    assert sorted(f.message.split(" with ")[1].split(",")[0] for f in unhandled) == reported
