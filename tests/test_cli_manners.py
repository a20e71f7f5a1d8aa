"""The CLI's manners: --version, one-line usage errors, readable status, reproduce lines that run
as printed, ad-hoc reports under their own name, a summary for --output, careful store upkeep."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interop.harness.cli import app
from interop.harness.distribution import tool_version

runner = CliRunner()
BIN = Path(sys.executable).parent
INTEROP = BIN / "interop"

PROVIDER = """\
openapi: 3.0.3
info: {title: Provider, version: 1.0.0}
paths:
  /workers:
    get:
      operationId: listWorkers
      parameters:
        - {name: X-Api-Key, in: header, required: false, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {count: {type: integer}}, required: [count]}
"""
# Reads a field the provider does not promise: incompatible, so exit 1.
CONSUMER = PROVIDER.replace("required: [count]", "required: [count, total]").replace(
    "properties: {count: {type: integer}}",
    "properties: {count: {type: integer}, total: {type: integer}}",
)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    # A deep folder, so that every command line is far wider than 80 columns.
    folder = tmp_path / ("a-folder-with-a-long-name-" * 3) / "contracts"
    folder.mkdir(parents=True)
    consumer, provider = folder / "consumer.yaml", folder / "provider.yaml"
    consumer.write_text(CONSUMER)
    provider.write_text(PROVIDER)
    return consumer, provider


def _reproduce_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip().startswith("reproduce")]
    assert len(lines) == 1, text
    return lines[0].split("reproduce", 1)[1].lstrip(": ").strip()


def _shell(line: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", **env}
    return subprocess.run(
        ["bash", "-c", line],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_version_names_the_installed_distribution():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"interop {tool_version()} (interop-harness)\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "--bogus"], "No such option: --bogus"),
        (["check", "--format", "yaml"], "'yaml' is not one of"),
        (["check", "--seed", "abc"], "Invalid value for '--seed'"),
        (["check", "--jobs", "0"], "--jobs"),
        (["no-such-command"], "No such command 'no-such-command'"),
        (["can-i-deploy", "--programme", "ats"], "Missing option '--to'"),
        (["report", "merge", "a.json"], "Missing option '--output'"),
        (["store", "prune"], "Missing option '--older-than'"),
    ],
)
def test_every_usage_error_is_one_line_and_exit_2(args: list[str], expected: str):
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("interop: error: "), lines[0]
    assert expected in lines[0]
    assert "╭" not in result.stderr and "Usage:" not in result.stderr


def test_usage_error_from_the_console_script_is_one_line():
    completed = subprocess.run(
        [str(INTEROP), "check", "--bogus"], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
    assert completed.stderr.startswith("interop: error: No such option: --bogus")


def test_reproduce_line_is_one_line_and_runs_as_printed(pair: tuple[Path, Path], tmp_path: Path):
    consumer, provider = pair
    args = ["check", "--consumer", str(consumer), "--provider", str(provider), "--no-reports"]
    first = _shell(" ".join([str(INTEROP), *args, "--max-examples", "3"]), tmp_path)
    assert first.returncode == 1, first.stderr
    line = _reproduce_line(first.stdout)
    assert len(line) > 80, "the test needs a line wider than a default terminal"
    assert line.startswith("interop check ") and line.endswith("--seed 0")
    again = _shell(line, tmp_path)
    assert again.returncode == first.returncode, again.stderr
    assert _reproduce_line(again.stdout) == line
    assert again.stdout.split("\n", 1)[0] == first.stdout.split("\n", 1)[0]


def test_lint_reproduce_line_is_a_real_command(pair: tuple[Path, Path], tmp_path: Path):
    _, provider = pair
    first = _shell(f"{INTEROP} lint {provider}", tmp_path)
    assert first.returncode in (0, 1), first.stderr
    line = _reproduce_line(first.stdout)
    assert line == f"interop lint {provider}"
    again = _shell(line, tmp_path)
    assert again.returncode == first.returncode, again.stderr
    assert again.stdout == first.stdout


def test_header_placeholder_expands_when_the_reproduce_line_runs(
    pair: tuple[Path, Path], tmp_path: Path
):
    _, provider = pair
    result = runner.invoke(
        app,
        [
            "conform",
            "--consumer",
            str(provider),
            "--provider",
            str(provider),
            "--header",
            "X-Api-Key: s3cret",
            "--max-examples",
            "2",
            "--no-reports",
        ],
    )
    assert result.exit_code in (0, 1), result.output
    assert "s3cret" not in result.stdout
    line = _reproduce_line(result.stdout)
    assert '"X-Api-Key: $INTEROP_HEADER_X_API_KEY"' in line
    # Run it as printed with a stand-in interop that shows the arguments it was given.
    stand_in = tmp_path / "bin"
    stand_in.mkdir()
    script = stand_in / "interop"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    shown = subprocess.run(
        [shutil.which("bash") or "bash", "-c", line],
        env={**os.environ, "PATH": str(stand_in), "INTEROP_HEADER_X_API_KEY": "s3cret"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    argv = json.loads(shown.stdout)
    assert argv[argv.index("--header") + 1] == "X-Api-Key: s3cret"
    assert argv[argv.index("--consumer") + 1] == str(provider)


def test_adhoc_check_writes_reports_under_its_own_name(pair: tuple[Path, Path], tmp_path: Path):
    consumer, provider = pair
    reports = tmp_path / "reports"
    reports.mkdir()
    catalogue_report = reports / "interop-check.json"
    catalogue_report.write_text("the catalogue run's report\n")
    result = runner.invoke(
        app,
        [
            "check",
            "--consumer",
            str(consumer),
            "--provider",
            str(provider),
            "--report-dir",
            str(reports),
            "--max-examples",
            "3",
        ],
    )
    assert result.exit_code == 1, result.output
    assert catalogue_report.read_text() == "the catalogue run's report\n"
    written = sorted(p.name for p in reports.iterdir() if p != catalogue_report)
    assert written == sorted(
        f"interop-check-adhoc-consumer-provider.{ext}"
        for ext in ("json", "html", "md", "junit.xml", "sarif")
    )


def test_output_file_gets_a_one_line_summary_on_stderr(pair: tuple[Path, Path], tmp_path: Path):
    consumer, provider = pair
    out = tmp_path / "out" / "result.json"
    result = runner.invoke(
        app,
        [
            "check",
            "--consumer",
            str(consumer),
            "--provider",
            str(provider),
            "--no-reports",
            "--format",
            "json",
            "--output",
            str(out),
            "--max-examples",
            "3",
        ],
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert json.loads(out.read_text())["schema_version"] == 1
    lines = result.stderr.splitlines()
    assert lines == [
        f"interop check: not ready, 1 of 1 pair incompatible; 1 error, 0 warnings; written to {out}"
    ], result.stderr


# --- the results store --------------------------------------------------------------------


@pytest.fixture(scope="module")
def result_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("result") / "fast-stream.json"
    made = runner.invoke(
        app,
        ["check", "-p", "fast-stream", "--no-reports", "--format", "json", "-o", str(path)],
    )
    assert made.exit_code == 0, made.output
    return path


def _store_with_a_run(tmp_path: Path, result_file: Path) -> Path:
    store = tmp_path / "results.db"
    imported = runner.invoke(app, ["report", "import", str(result_file), "--store", str(store)])
    assert imported.exit_code == 0, imported.output
    return store


def test_status_text_is_a_summary_not_json(tmp_path: Path, result_file: Path):
    store = _store_with_a_run(tmp_path, result_file)
    result = runner.invoke(app, ["status", "--format", "text", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert not result.stdout.lstrip().startswith("{")
    first = result.stdout.splitlines()[0]
    assert first.startswith("interop status: ") and "integrations compatible" in first
    assert "  sandbox: " in result.stdout
    assert "fast-stream" in result.stdout
    as_json = runner.invoke(app, ["status", "--store", str(store)])
    assert json.loads(as_json.stdout)["feed"] == "interop-status"


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["dashboard", "--output", "dash.html"],
        ["can-i-deploy", "--programme", "ats", "--to", "sandbox"],
    ],
)
def test_read_only_commands_refuse_a_store_that_does_not_exist(args: list[str], tmp_path: Path):
    missing = tmp_path / "mistyped.db"
    for extra, env in (
        (["--store", str(missing)], {}),
        ([], {"INTEROP_STORE": str(missing)}),
    ):
        result = runner.invoke(app, [*args, *extra], env=env)
        assert result.exit_code == 2, result.output
        lines = [line for line in result.stderr.splitlines() if "bundled demo" not in line]
        assert lines == [
            f"interop: error: results store {missing} does not exist "
            "(check --store or $INTEROP_STORE; 'interop check --record' creates one)"
        ]
        assert not missing.exists()
    assert not (tmp_path / "dash.html").exists()


@pytest.mark.parametrize("age", ["90", "0", "d", "90 days", "-1d"])
def test_prune_needs_an_age_with_a_unit(age: str, tmp_path: Path):
    result = runner.invoke(
        app, ["store", "prune", "--older-than", age, "--store", str(tmp_path / "s.db")]
    )
    assert result.exit_code == 2
    assert "--older-than must look like 90d, 12w or 36h" in result.stderr


def test_prune_asks_before_deleting_every_run(tmp_path: Path, result_file: Path):
    store = _store_with_a_run(tmp_path, result_file)
    prune = ["store", "prune", "--older-than", "0d", "--store", str(store)]

    unanswered = runner.invoke(app, prune)  # stdin closed: no answer is no
    assert unanswered.exit_code == 2
    assert "pass --yes" in unanswered.stderr.splitlines()[-1]
    declined = runner.invoke(app, prune, input="n\n")
    assert declined.exit_code == 2 and "nothing deleted" in declined.stderr
    kept = runner.invoke(app, ["store", "prune", "--older-than", "90d", "--store", str(store)])
    assert kept.exit_code == 0 and "pruned 0 run(s)" in kept.stderr

    confirmed = runner.invoke(app, prune, input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "pruned 1 run(s)" in confirmed.stderr


def test_prune_yes_deletes_every_run_without_asking(tmp_path: Path, result_file: Path):
    store = _store_with_a_run(tmp_path, result_file)
    result = runner.invoke(
        app, ["store", "prune", "--older-than", "0h", "--yes", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert "Delete them all?" not in result.stderr
    assert "pruned 1 run(s)" in result.stderr


def test_report_merge_writes_and_exits_0_unless_asked_to_gate(
    pair: tuple[Path, Path], tmp_path: Path
):
    consumer, provider = pair
    shard = tmp_path / "shard.json"
    made = runner.invoke(
        app,
        ["check", "--consumer", str(consumer), "--provider", str(provider), "--no-reports",
         "--format", "json", "--output", str(shard), "--max-examples", "3"],
    )  # fmt: skip
    assert made.exit_code == 1
    merged = tmp_path / "all.json"
    result = runner.invoke(app, ["report", "merge", str(shard), "--output", str(merged)])
    assert result.exit_code == 0, result.output
    assert json.loads(merged.read_text())["pairs"][0]["status"] == "incompatible"
    assert result.stderr.startswith("interop report merge: not ready, 1 of 1 pair incompatible")
    merged.unlink()
    gated = runner.invoke(
        app, ["report", "merge", str(shard), "--output", str(merged), "--fail-on", "error"]
    )
    assert gated.exit_code == 1 and merged.is_file()


def test_report_merge_refuses_results_judged_under_different_policies(
    pair: tuple[Path, Path], tmp_path: Path
):
    consumer, provider = pair
    shard = tmp_path / "default.json"
    made = runner.invoke(
        app,
        ["check", "--consumer", str(consumer), "--provider", str(provider), "--no-reports",
         "--format", "json", "--output", str(shard), "--max-examples", "3"],
    )  # fmt: skip
    assert made.exit_code == 1
    document = json.loads(shard.read_text())
    assert document["run"]["policy"] == {"unhandled_error_statuses": "warn"}  # stated
    document["run"]["policy"] = {"unhandled_error_statuses": ["404", "409"]}
    other = tmp_path / "listed.json"
    other.write_text(json.dumps(document))
    merged = tmp_path / "all.json"
    result = runner.invoke(
        app, ["report", "merge", str(shard), str(other), "--output", str(merged)]
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "interop: error: cannot merge results of different runs: judgement policy differs "
        "(unhandled-error-statuses: [404, 409]; unhandled-error-statuses: warn)"
    ]
    assert not merged.exists()
    same = runner.invoke(app, ["report", "merge", str(other), str(other), "--output", str(merged)])
    assert same.exit_code == 0, same.output
    assert json.loads(merged.read_text())["run"]["policy"] == document["run"]["policy"]


@pytest.mark.parametrize(
    ("args", "kept"),
    [
        (["can-i-deploy", "--programme", "ats"], {"can-i-deploy"}),
        (["report", "merge"], {"report"}),
        (["check"], {"check"}),
    ],
)
def test_a_run_builds_only_the_command_it_names(args: list[str], kept: set[str]):
    """Start-up: typer builds every registered command's parameters before parsing, so a run
    narrows the app to the one command (or group) it names; the shared app keeps them all."""
    from typer.main import get_command

    from interop.harness.cli.app import narrowed_to

    before = len(app.registered_commands) + len(app.registered_groups)
    narrowed = narrowed_to(args)
    assert set(get_command(narrowed).commands) == kept  # type: ignore[attr-defined]
    assert len(app.registered_commands) + len(app.registered_groups) == before > 10


@pytest.mark.parametrize("args", [[], ["--help"], ["--version"], ["no-such-command"]])
def test_anything_but_a_command_name_gets_the_whole_app(args: list[str]):
    from interop.harness.cli.app import narrowed_to

    assert narrowed_to(args) is app


def test_a_narrowed_run_behaves_as_the_whole_app(tmp_path: Path):
    """The console script (narrowed) and the whole app give the same help and errors."""
    for args in (["can-i-deploy", "--help"], ["report", "--help"], ["diff", "--bogus"]):
        script = subprocess.run([str(INTEROP), *args], capture_output=True, text=True, check=False)
        whole = runner.invoke(app, args, prog_name="interop")
        assert script.returncode == whole.exit_code, args
        assert " ".join(script.stdout.split()) == " ".join(whole.stdout.split()), args
    assert "interop: error: No such option: --bogus" in script.stderr
