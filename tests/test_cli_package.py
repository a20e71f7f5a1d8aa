"""The CLI package: it starts without the engine, and it is the library's result it prints."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
import tempfile
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


def _loaded_after(code: str, extra: tuple[str, ...] = ()) -> list[str]:
    watched = (*HEAVY, *extra)
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {watched!r} if m in sys.modules))"
    completed = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "INTEROP_STORE"},
        cwd=tempfile.gettempdir(),
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


# The import budget: `import interop.harness.cli` may load typer, rich and the CLI's own modules,
# and of the library only these light ones. Anything else (the engine, YAML, pydantic, the
# store, HTTP) is imported inside the command that needs it.
CLI_IMPORT_ALLOWED = {"interop", "interop.harness", "interop.harness.errors"}
NEVER_AT_START = (
    *HEAVY,
    "jsonschema",
    "jsonschema_rs",
    "referencing",
    "yaml",
    "pydantic",
    "alembic",
    "httpx",
    "uvicorn",
)


def test_import_budget_of_the_cli() -> None:
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import interop.harness.cli"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    imported = [
        line.rsplit("|", 1)[1].strip()
        for line in completed.stderr.splitlines()
        if line.startswith("import time:") and "cumulative" not in line
    ]
    assert "interop.harness.cli.app" in imported, "importtime output not understood"
    ours = {
        m for m in imported if m.startswith("interop") and not m.startswith("interop.harness.cli")
    }
    assert ours <= CLI_IMPORT_ALLOWED, sorted(ours - CLI_IMPORT_ALLOWED)
    heavy = sorted(
        m for m in imported for root in NEVER_AT_START if m == root or m.startswith(root + ".")
    )
    assert heavy == [], heavy


def test_lint_default_size_limit_is_the_parsers() -> None:
    """The CLI spells the default out (importing ``parsing`` would load YAML at start-up)."""
    from interop.harness.parsing import DEFAULT_LIMITS

    lint = next(c for c in app.registered_commands if c.callback and c.callback.__name__ == "lint")
    assert lint.callback is not None
    default = inspect.signature(lint.callback).parameters["max_bytes"].default
    assert default == DEFAULT_LIMITS.max_bytes


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


@pytest.mark.parametrize("command", ["can-i-deploy", "status"])
def test_the_read_commands_load_no_engine_codec_migrations_or_sqlalchemy(
    command: str, tmp_path: Path
) -> None:
    """What can-i-deploy and status need is the catalogue and the store's rows, read with the
    database driver: not the compatibility engine, not the result codec's models, not alembic,
    not SQLAlchemy (benchmarks/cli.py times it). The store exists and holds a run."""
    from interop.harness.database import open_store
    from tests.harness.database.factory import make_result

    store = str(tmp_path / "results.db")
    with open_store(store, catalogue_dir=tmp_path) as opened:
        opened.record_run(make_result([("ats", "matrix", "compatible")]), kind="check")
    catalogue = str(CONTRACTS)
    argv = (
        ["can-i-deploy", "-p", "ats", "--to", "sandbox"]
        if command == "can-i-deploy"
        else ["status"]
    )
    code = (
        "import contextlib, io, sys\n"
        "from interop.harness.cli import app\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        f"    app({argv!r} + ['--catalogue', {catalogue!r}, '--store', {store!r}])\n"
        "assert 'interop.harness.database.opening' in sys.modules, 'the command did not run'\n"
        "assert 'ats' in out.getvalue(), out.getvalue()"
    )
    loaded = set(_loaded_after(code, extra=("alembic", "interop.harness.codec", "httpx")))
    # status renders through the report package (the codec, jinja2): not its start-up target.
    allowed = {"interop.harness.codec", "jinja2"} if command == "status" else set()
    assert loaded <= allowed, loaded
