"""An undecided pair (issue 12, item 4) is shown as undecided in every format, never as
compatible, and the JSON result round-trips it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from interop.harness.codec import result_from_dict
from interop.harness.render import FORMATS, render
from interop.harness.results import (
    ContractRef,
    Finding,
    PairResult,
    PairStatus,
    RunInfo,
    RunResult,
    Severity,
)

SCHEMA = xmlschema.XMLSchema10(Path(__file__).parents[2] / "schemas" / "junit-10.xsd")


def _ref(name: str) -> ContractRef:
    return ContractRef(file=f"contracts/{name}.yaml", version="1.0", sha256="0" * 64)


def undecided_run() -> RunResult:
    return RunResult(
        tool_version="0.1.0",
        run=RunInfo(
            command="interop check", seed=0, started="2026-12-06T08:00:00Z", duration_s=1.0
        ),
        pairs=(
            PairResult(
                programme="payroll",
                cluster="unity",
                consumer=_ref("payroll"),
                provider=_ref("unity"),
                status=PairStatus.UNDECIDED,
                operations=("POST /workers",),
            ),
        ),
        findings=(
            Finding(
                severity=Severity.WARNING,
                rule="schema.undecided",
                message="interop could not decide whether Unity accepts every value payroll "
                "may send in the request body.",
                programme="payroll",
                cluster="unity",
                operation="POST /workers",
            ),
        ),
    )


def _without_legends(text: str) -> str:
    """The output without its stylesheet and legend lines (which name every status)."""
    text = re.sub(r"<style.*?</style>|<script.*?</script>", "", text, flags=re.S)
    return "\n".join(
        line
        for line in text.splitlines()
        if "legend" not in line and "✓ compatible" not in line and "✅ compatible" not in line
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_undecided_is_never_rendered_compatible(fmt: str) -> None:
    out = _without_legends(render(undecided_run(), fmt))
    assert "compatible" not in out.replace("incompatible", "")
    if fmt in ("text", "markdown", "html"):
        assert "undecided" in out


def test_each_format_marks_the_pair_undecided() -> None:
    assert "payroll \u00d7 unity  undecided" in render(undecided_run(), "text")
    assert 'class="status undecided"' in render(undecided_run(), "html")
    assert "| payroll | ❔ 1W |" in render(undecided_run(), "markdown")


def test_text_and_markdown_say_not_ready() -> None:
    text = render(undecided_run(), "text")
    assert "not ready, 0 of 1 pair incompatible, 1 undecided" in text
    assert "warning schema.undecided" in text  # what was not decided, without -v
    markdown = render(undecided_run(), "markdown")
    assert "❌ not ready" in markdown and "❔" in markdown


def test_junit_skips_what_was_not_decided() -> None:
    xml = render(undecided_run(), "junit")
    SCHEMA.validate(xml)
    root = ET.fromstring(xml)
    (case,) = root.iter("testcase")
    assert case.find("skipped") is not None and case.find("failure") is None
    assert next(root.iter("testsuite")).get("skipped") == "1"


def test_json_round_trips_undecided() -> None:
    data = json.loads(render(undecided_run(), "json"))
    assert data["pairs"][0]["status"] == "undecided"
    assert result_from_dict(data).pairs[0].status is PairStatus.UNDECIDED


def test_exit_code_is_zero_unless_failing_on_undecided() -> None:
    result = undecided_run()
    assert result.exit_code == 0
    assert result.exit_code_failing_on("error") == 0
    assert result.exit_code_failing_on("undecided") == 1
