"""environment_versions: the catalogue's ``deployed`` table, overridden by recorded deployments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interop.harness.catalogue import Catalogue, load_catalogue
from interop.harness.database import ENV_VAR, open_store
from interop.harness.environments import environment_versions
from interop.harness.errors import UsageError

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    """A private copy of the bundled catalogue: its default store is this test's alone."""
    shutil.copytree(CONTRACTS, tmp_path / "contracts", ignore=shutil.ignore_patterns(".interop"))
    return load_catalogue(tmp_path / "contracts")


def _deploy(store: str | None, catalogue: Catalogue, cluster: str, version: str) -> None:
    with open_store(store, catalogue_dir=catalogue.root) as opened:
        opened.record_deployment(
            cluster=cluster, version=version, environment="production", catalogue=catalogue
        )


def test_without_a_store_the_catalogue_says_what_runs_where(catalogue: Catalogue) -> None:
    versions = environment_versions(catalogue, "production")
    assert versions == catalogue.deployed_in("production")
    assert versions["defence"] == "1.0.0"
    assert not (catalogue.root / ".interop").exists(), "reading must never create a store"


def test_a_recorded_deployment_overrides_the_catalogue(catalogue: Catalogue, tmp_path: Path):
    store = str(tmp_path / "results.db")
    _deploy(store, catalogue, "defence", "2.0.0")
    versions = environment_versions(catalogue, "production", store=store)
    assert versions == {**catalogue.deployed_in("production"), "defence": "2.0.0"}
    # Another environment is untouched by a deployment to production.
    assert environment_versions(catalogue, "sandbox", store=store) == catalogue.deployed_in(
        "sandbox"
    )


def test_the_default_store_and_the_environment_variable_are_read(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _deploy(None, catalogue, "defence", "2.0.0")  # <catalogue>/.interop/results.db
    assert environment_versions(catalogue, "production")["defence"] == "2.0.0"

    elsewhere = str(tmp_path / "shared.db")
    _deploy(elsewhere, catalogue, "defence", "1.0.0")
    monkeypatch.setenv(ENV_VAR, elsewhere)
    assert environment_versions(catalogue, "production")["defence"] == "1.0.0"


def test_an_unknown_environment_is_a_usage_error(catalogue: Catalogue) -> None:
    with pytest.raises(UsageError, match="unknown environment 'mars'"):
        environment_versions(catalogue, "mars")
