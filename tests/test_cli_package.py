"""The CLI package: it starts without the engine, and it is the library's result it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interop.harness import check, load_catalogue, render
from interop.harness.cli import app

CONTRACTS = Path(__file__).resolve().parents[1] / "contracts"
# What --help must not pay for: the engine, property-based testing, the store, templates, ASGI.
HEAVY = (
    "interop.harness.compat",
    "schemathesis",
    "hypothesis",
    "sqlalchemy",
    "jinja2",
    "starlette",
)

runner = CliRunner()


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return completed.stdout.split()


def test_importing_the_cli_loads_no_engine() -> None:
    assert _loaded_after("import interop.harness.cli") == []


@pytest.mark.parametrize("command", [[], ["check"], ["conform"], ["report", "merge"]])
def test_help_loads_no_engine(command: list[str]) -> None:
    code = (
        "import contextlib, io\n"
        "from interop.harness.cli import app\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    app({[*command, '--help']!r})"
    )
    assert _loaded_after(code) == []


def test_python_dash_m_runs_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "interop.harness.cli", "--help"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "can-i-deploy" in completed.stdout


def _comparable(document: dict[str, Any]) -> dict[str, Any]:
    run = {k: v for k, v in document["run"].items() if k not in {"started", "duration_s"}}
    return {**document, "run": run}


def test_check_json_is_the_library_result() -> None:
    """``interop check --format json`` prints what ``interop.harness.check`` returns, data-quality
    table included; only the timing differs."""
    args = [
        "check",
        "--catalogue",
        str(CONTRACTS),
        "--format",
        "json",
        "--no-reports",
        "--max-examples",
        "5",
        "--seed",
        "3",
        "--no-cache",
    ]
    printed = runner.invoke(app, args)
    assert printed.exit_code == 1, printed.output  # the catalogue holds real incompatibilities
    from_cli = json.loads(printed.stdout)
    assert from_cli["quality"], "check reports the catalogue's data-quality table"

    result = check(
        load_catalogue(CONTRACTS), seed=3, max_examples=5, command="interop " + " ".join(args)
    )
    from_library = json.loads(render(result, "json"))
    assert _comparable(from_cli) == _comparable(from_library)
    assert result.exit_code == printed.exit_code
