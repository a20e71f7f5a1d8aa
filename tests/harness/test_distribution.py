"""The distribution's name and version, and where the bundled demo catalogue is found: the
working directory's ``./contracts`` first, else the one installed with interop (said once)."""

from __future__ import annotations

import logging
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from interop.harness import CatalogueError, catalogue, distribution, load_catalogue

REPO = Path(__file__).resolve().parents[2]
NOTE = "interop: using the bundled demo catalogue"


@pytest.fixture(autouse=True)
def _announce_afresh() -> None:
    catalogue._announce_bundled.cache_clear()


def test_tool_version_is_the_installed_distributions() -> None:
    assert distribution.DISTRIBUTION == "interop-harness"
    assert distribution.tool_version() == version("interop-harness") != "0+unknown"


def test_the_bundled_catalogue_is_the_checkouts_under_an_editable_install() -> None:
    bundled = distribution.bundled_catalogue_dir()
    assert bundled is not None
    assert bundled.resolve() == (REPO / "contracts").resolve()
    # catalogue.yaml names fixtures as ../fixtures/<cluster>: they are beside it.
    loaded = load_catalogue(bundled)
    assert all(
        c.fixtures and (c.fixtures / "fixtures.yaml").is_file() for c in loaded.clusters.values()
    )


def test_a_local_catalogue_comes_first_and_nothing_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "catalogue.yaml").write_text("schema_version: 1\n")
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING):
        assert catalogue.default_catalogue_dir() == Path("contracts")
    assert caplog.records == []


def test_without_one_the_bundled_catalogue_is_used_and_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING):
        first = catalogue.default_catalogue_dir()
        again = load_catalogue()
    assert first == distribution.bundled_catalogue_dir() == again.root
    notes = [r.getMessage() for r in caplog.records]
    assert notes == [f"{NOTE} ({first}); pass --catalogue DIR for yours"]


def test_with_neither_loading_says_there_is_no_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(catalogue, "bundled_catalogue_dir", lambda: None)
    with pytest.raises(CatalogueError, match="no catalogue index here"):
        load_catalogue()


def test_the_note_reaches_stderr_as_one_bare_line_when_logging_is_not_configured(
    tmp_path: Path,
) -> None:
    code = (
        "from interop.harness.catalogue import default_catalogue_dir, load_catalogue\n"
        "default_catalogue_dir(); load_catalogue()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"{NOTE} (")
    assert done.stderr.endswith("); pass --catalogue DIR for yours\n")
