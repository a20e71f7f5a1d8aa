"""``interop check`` on an undecided pair: exit 0, unless ``--fail-on undecided``; the JSON
result says ``undecided``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interop.harness.cli import app

runner = CliRunner()
CASE = Path(__file__).parent / "cases" / "schema.undecided" / "fail"


@pytest.mark.parametrize(("fail_on", "code"), [(None, 0), ("error", 0), ("undecided", 1)])
def test_undecided_exit_code(fail_on: str | None, code: int) -> None:
    args = ["check", "--consumer", str(CASE / "consumer.yaml")]
    args += ["--provider", str(CASE / "provider.yaml"), "--format", "json", "--no-reports"]
    if fail_on is not None:
        args += ["--fail-on", fail_on]
    result = runner.invoke(app, args)
    assert result.exit_code == code, result.output
    document = json.loads(result.stdout)
    assert [pair["status"] for pair in document["pairs"]] == ["undecided"]
    assert [f["rule"] for f in document["findings"]] == ["schema.undecided"]
