"""The CLI's contract with pipelines: exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interop.harness.cli import app

runner = CliRunner()

GOOD_PROVIDER = """\
openapi: 3.0.3
info: {title: Provider, version: 1.0.0}
paths:
  /workers:
    get:
      operationId: listWorkers
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {count: {type: integer}}, required: [count]}
"""


def _alias(level: int) -> str:
    return "*a" if level == 0 else f"*l{level}"


HOSTILE = {
    "malformed.yaml": (b"openapi: 3.0.3\ninfo: {title: x\npaths: {}\n", "invalid YAML"),
    "not-openapi.yaml": (b"hello: world\n", "no 'openapi' or 'swagger' key"),
    "duplicate-key.yaml": (
        b"openapi: 3.0.3\ninfo: {title: a, version: '1'}\ninfo: {title: b, version: '2'}\n"
        b"paths: {}\n",
        "duplicate key 'info'",
    ),
    "missing-ref.yaml": (
        b"openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /w:\n    get:\n"
        b"      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
        "not found",
    ),
    "remote-ref.yaml": (
        b"openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /w:\n    get:\n"
        b"      responses:\n        '200': {$ref: 'https://example.invalid/r.yaml#/R'}\n",
        "--allow-remote",
    ),
    "cycle.yaml": (
        b"openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\ncomponents:\n"
        b"  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        b"    B: {$ref: '#/components/schemas/A'}\n",
        "cyclic $ref chain",
    ),
    "latin1.yaml": (
        "openapi: 3.0.3\ninfo: {title: 'Gr\u00fc\u00dfe', version: '1'}\n".encode("latin-1"),
        "not UTF-8",
    ),
    "bomb.yaml": (
        b"openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\n"
        b"x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
        + b"".join(
            f"x-{i + 1}: &l{i + 1} [{', '.join([_alias(i)] * 10)}]\n".encode() for i in range(8)
        ),
        "alias",
    ),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nesting"),
    "empty.yaml": (b"", "empty"),
}


@pytest.fixture
def provider_file(tmp_path: Path) -> Path:
    path = tmp_path / "provider.yaml"
    path.write_text(GOOD_PROVIDER)
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_consumer_is_one_line_exit_2(name: str, tmp_path: Path, provider_file: Path):
    content, expected = HOSTILE[name]
    bad = tmp_path / name
    bad.write_bytes(content)
    report_dir = tmp_path / "reports"
    result = runner.invoke(
        app,
        [
            "check",
            "--consumer",
            str(bad),
            "--provider",
            str(provider_file),
            "--report-dir",
            str(report_dir),
        ],
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"interop: error: {bad}"), lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert not report_dir.exists(), "nothing may be written when the run could not judge"


def test_unknown_programme_is_usage_error():
    result = runner.invoke(app, ["check", "--programme", "no-such-programme", "--no-reports"])
    assert result.exit_code == 2
    assert "unknown programme 'no-such-programme'" in result.stderr


@pytest.mark.parametrize("shard", ["0/3", "4/3", "x", "1/0"])
def test_bad_shard_is_usage_error(shard: str):
    result = runner.invoke(app, ["check", "--shard", shard, "--no-reports"])
    assert result.exit_code == 2
    assert "--shard" in result.stderr


def test_consumer_without_provider_is_usage_error(provider_file: Path):
    result = runner.invoke(app, ["check", "--consumer", str(provider_file)])
    assert result.exit_code == 2
    assert "--consumer and --provider go together" in result.stderr


def test_unwritable_output_is_exit_2(tmp_path: Path, provider_file: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = runner.invoke(
        app,
        [
            "check",
            "--consumer",
            str(provider_file),
            "--provider",
            str(provider_file),
            "--no-reports",
            "--format",
            "json",
            "--output",
            str(blocker / "out.json"),
        ],
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("interop: error: ")


def test_self_pair_is_compatible_and_json_is_one_document(provider_file: Path, tmp_path: Path):
    result = runner.invoke(
        app,
        [
            "check",
            "--consumer",
            str(provider_file),
            "--provider",
            str(provider_file),
            "--format",
            "json",
            "--report-dir",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema_version"] == 1
    assert [p["status"] for p in document["pairs"]] == ["compatible"]
    written = sorted(p.name for p in (tmp_path / "r").iterdir())
    # An ad-hoc pair's reports have a name of their own, never the catalogue run's.
    assert written == sorted(
        [
            "interop-check-adhoc-provider-provider.html",
            "interop-check-adhoc-provider-provider.json",
            "interop-check-adhoc-provider-provider.junit.xml",
            "interop-check-adhoc-provider-provider.md",
            "interop-check-adhoc-provider-provider.sarif",
        ]
    )


def test_console_script_runs_without_traceback(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: [\n")
    interop = Path(sys.executable).parent / "interop"
    completed = subprocess.run(
        [str(interop), "check", "--consumer", str(bad), "--provider", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
    assert completed.stderr.startswith(f"interop: error: {bad}:")
