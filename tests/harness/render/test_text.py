"""The terminal rendering (rich), captured to a string."""

# ruff: noqa: RUF001  (reports put the multiplication sign between programme and cluster)

from __future__ import annotations

from interop.harness.render import render, render_text
from interop.harness.results import RunInfo, RunResult


def test_matrix_then_findings_grouped_by_pair(result: RunResult) -> None:
    out = render_text(result, width=100)
    lines = out.splitlines()
    assert lines[0] == (
        "interop check: not ready, 1 of 4 pairs incompatible, 1 not judged; 3 errors, 3 warnings"
    )
    header = next(line for line in lines if line.startswith("programme"))
    assert header.split() == ["programme", "matrix", "synergy", "unity"]
    ats = next(line for line in lines if line.startswith("ats "))
    assert ats.split() == ["ats", "✓", "·", "✗", "2E", "1W"]
    payroll = next(line for line in lines if line.startswith("payroll "))
    assert payroll.split() == ["payroll", "·", "!", "1E", "✓", "1W"]
    # findings grouped by pair, pairs in order; warnings folded into one line per pair, and
    # pairs with nothing but warnings left to the matrix (-v shows them)
    order = [out.index(t) for t in ("ats × unity", "payroll × synergy")]
    assert order == sorted(order)
    assert "payroll × unity" not in out
    ats_unity = out[out.index("ats × unity  incompatible") : out.index("payroll × synergy")]
    assert ats_unity.index("✗ error") < ats_unity.index("! 1 warning:")
    assert "! warning" not in ats_unity
    assert "request.body.max-length  POST /workers" in ats_unity
    flat = " ".join(ats_unity.split())
    assert "consumer contracts/programmes/ats/unity.yaml:42" in flat
    assert "provider contracts/clusters/unity/2.0.yaml:88" in flat
    assert 'counterexample body (application/json): {"givenName": "AAAA' in flat
    assert "ats × matrix" not in out  # a clean pair has nothing to show below the matrix
    assert "Other findings" in out
    assert lines[-1] == "reproduce: interop check --programme ats --programme payroll --seed 1234"
    assert "\x1b[" not in out  # no colour unless asked
    assert all(line == line.rstrip() for line in lines if not line.startswith(("ats", "payroll")))


def test_verbose_lists_every_warning_and_warning_only_pair(result: RunResult) -> None:
    out = render_text(result, width=100, verbose=True)
    order = [out.index(t) for t in ("ats × unity", "payroll × synergy", "payroll × unity")]
    assert order == sorted(order)
    ats_unity = out[out.index("ats × unity  incompatible") : out.index("payroll × synergy")]
    assert ats_unity.index("✗ error") < ats_unity.index("! warning")
    assert "-v shows them" not in out


def test_colour_only_when_asked(result: RunResult) -> None:
    coloured = render_text(result, color=True)
    assert "\x1b[" in coloured
    assert render(result, "text", color=True) == coloured


def test_width_is_respected(result: RunResult) -> None:
    for width in (60, 100, 140):
        lines = render_text(result, width=width).splitlines()
        # The reproduce line is the exception: it is copied and run, so it is never wrapped.
        (reproduce,) = [line for line in lines if line.startswith("reproduce: ")]
        assert reproduce.endswith("--seed 1234")
        assert max(len(line) for line in lines if line != reproduce) <= width


def test_contract_text_is_not_markup_or_terminal_control(evil: RunResult) -> None:
    plain = render_text(evil, width=400)
    assert "\x1b" not in plain  # the contract's ESC never reaches the terminal...
    assert "[bold red]markup[/] :smile: {{ 7 * 7 }} *em* | pipe @team \\x1b[31m" in plain
    assert "<script>window.__pwned = 1; alert(1)</script>" in plain  # ...and text is literal
    coloured = render_text(evil, width=400, color=True)
    assert "[bold red]markup[/] :smile:" in coloured  # markup in a contract is not applied


def test_empty_run() -> None:
    empty = RunResult(
        tool_version="0.1.0", run=RunInfo(command="interop check", seed=0, started="", duration_s=0)
    )
    out = render_text(empty)
    assert out.startswith("interop check: passed, 0 errors, 0 warnings")
