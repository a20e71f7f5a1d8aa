"""diff, impact and publish through the CLI: exit codes, formats, one-line errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from interop.harness.cli import app

runner = CliRunner()
CATALOGUE = Path(__file__).resolve().parent.parent / "contracts"


def test_diff_catalogue_versions_exit_codes():
    breaking = runner.invoke(app, ["diff", "--cluster", "defence", "1.0.0", "2.0.0", "-f", "json"])
    assert breaking.exit_code == 1, breaking.output
    changes = json.loads(breaking.stdout)["changes"]
    assert any(
        c["breaking"] and c["rule"] == "response.body.enum" and c["operation"] == "GET /workers"
        for c in changes
    )
    additive = runner.invoke(app, ["diff", "--cluster", "unity", "2.3.0", "2.4.0"])
    assert additive.exit_code == 0, additive.output
    assert "0 breaking changes" in additive.stdout


def test_diff_bad_file_is_one_line(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: [\n")
    good = CATALOGUE / "clusters" / "unity" / "2.4.0.yaml"
    result = runner.invoke(app, ["diff", str(good), str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"interop: error: {bad}:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_impact_names_the_programmes_a_change_breaks():
    # Going back from Defence 2.0.0 to 1.0.0 would fix pensions-admin's enum problem.
    result = runner.invoke(
        app,
        [
            "impact",
            "--cluster",
            "defence",
            "--new",
            str(CATALOGUE / "clusters" / "defence" / "1.0.0.yaml"),
            "-f",
            "json",
        ],
    )
    assert result.exit_code == 1  # ...but would break those that use 2.0.0's new operations
    verdicts = {p["programme"]: p["verdict"] for p in json.loads(result.stdout)["pairs"]}
    assert verdicts["pensions-admin"] == "fixed"
    assert verdicts["shared-services-dashboard"] == "breaks"
    assert verdicts["fast-stream"] == "unaffected"


def test_publish_refuses_existing_version(tmp_path: Path):
    copy = tmp_path / "contracts"
    shutil.copytree(CATALOGUE, copy)
    existing = copy / "clusters" / "unity" / "2.4.0.yaml"
    result = runner.invoke(
        app, ["publish", "--cluster", "unity", str(existing), "--catalogue", str(copy)]
    )
    assert result.exit_code == 1, result.output
    assert "2.4.0" in result.stdout


def test_publish_names_every_reason_and_force_records_why(tmp_path: Path):
    copy = tmp_path / "contracts"
    shutil.copytree(CATALOGUE, copy)
    matrix = yaml.safe_load((copy / "clusters" / "matrix" / "3.1.0.yaml").read_text())
    matrix["info"]["version"] = "3.0.0"
    proposal = tmp_path / "matrix-as-unity.yaml"
    proposal.write_text(yaml.safe_dump(matrix, sort_keys=False))
    command = ["publish", "--cluster", "unity", str(proposal), "--catalogue", str(copy)]
    refused = runner.invoke(app, [*command, "--format", "json"])
    assert refused.exit_code == 1, refused.output
    reasons = json.loads(refused.stdout)["reasons"]
    assert any("does not look like" in r for r in reasons)
    assert any("would break" in r for r in reasons), reasons
    done = runner.invoke(
        app, [*command, "--force", "Unity adopts Matrix's API", "--accept-breaking", "agreed"]
    )
    assert done.exit_code == 0, done.output
    assert "Unity adopts Matrix's API" in done.stdout
