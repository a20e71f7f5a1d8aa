"""mypy sees across the harness/adapters seam: it checks the code under its installed names
(interop.harness, interop.adapters) through typecheck/interop/, so nothing adapters/ takes from
the engine, nor anything the mock hands a test or the CLI, is silently ``Any``."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _mypy_config() -> dict[str, object]:
    config: dict[str, object] = tomllib.loads(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    )["tool"]["mypy"]
    return config


def test_no_mypy_override_hides_interop() -> None:
    overrides = _mypy_config().get("overrides", [])
    assert isinstance(overrides, list)
    for override in overrides:
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        if any(name == "interop" or name.startswith("interop.") for name in modules):
            assert not override.get("ignore_missing_imports"), override
            assert not override.get("follow_imports"), override


def test_mypy_maps_the_installed_names_onto_the_source_folders() -> None:
    config = _mypy_config()
    assert config["packages"] == ["interop.harness", "interop.adapters"]
    assert config["mypy_path"] == "$MYPY_CONFIG_FILE_DIR/typecheck"
    for name in ("harness", "adapters"):
        link = ROOT / "typecheck" / "interop" / name
        # A checkout without symlink support (core.symlinks=false) leaves a text file here.
        assert link.is_symlink() and link.resolve() == (ROOT / name).resolve(), link


_SNIPPET = """\
from interop.adapters.mock import mock_for_spec
from interop.adapters.pytest_plugin import ClusterMock

mock = mock_for_spec("provider.yaml")
reveal_type(mock.contract)
reveal_type(mock.transport())
reveal_type(mock.async_transport())
reveal_type(mock.client())
reveal_type(mock.async_client())
reveal_type(mock.respx_router())
reveal_type(ClusterMock(mock, "label").client)
"""


@pytest.mark.slow
def test_the_mock_api_is_typed_for_mypy(tmp_path: Path) -> None:
    snippet = tmp_path / "seam.py"
    snippet.write_text(_SNIPPET, encoding="utf-8")
    # A file on the command line replaces the configured packages; the rest of the project's
    # configuration applies. The project's cache (warm after `make lint`) keeps this quick.
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            str(snippet),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    revealed = re.findall(r'Revealed type is "([^"]+)"', completed.stdout)
    # Third-party classes by package and name: where httpx or respx keep them may move.
    assert [(name.split(".")[0], name.split(".")[-1]) for name in revealed] == [
        ("interop", "LoadedContract"),
        ("httpx", "BaseTransport"),
        ("httpx", "AsyncBaseTransport"),
        ("httpx", "Client"),
        ("httpx", "AsyncClient"),
        ("respx", "MockRouter"),
        ("httpx", "Client"),
    ], completed.stdout
    assert revealed[0] == "interop.harness.loading.LoadedContract"
