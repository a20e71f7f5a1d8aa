"""The Markdown rendering: a merge-request comment, checked through a CommonMark+tables parser."""

# ruff: noqa: RUF001  (reports put the multiplication sign between programme and cluster)

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from interop.harness.render import render, render_markdown
from interop.harness.results import RunResult

from .conftest import PAYLOADS

PARSER = MarkdownIt("commonmark").enable("table")  # inline HTML on, as GitHub and GitLab allow


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _rendered(markdown: str) -> _Tags:
    tags = _Tags()
    tags.feed(PARSER.render(markdown))
    return tags


def test_summary_and_matrix_first(result: RunResult) -> None:
    out = render_markdown(result)
    lines = out.splitlines()
    assert lines[0] == "### interop check: ❌ not ready"
    assert lines[2] == "1 of 4 pairs incompatible, 1 not judged; 3 errors, 3 warnings"
    assert lines[4:8] == [
        "| programme | matrix | synergy | unity |",
        "| --- | :-: | :-: | :-: |",
        "| ats | ✅ | · | ❌ 2E 1W |",
        "| payroll | · | ❗ 1E | ⚠️ 1W |",
    ]
    assert out.index("| programme |") < out.index("<details>")
    assert out.rstrip().endswith("</sub>")
    assert "--seed 1234" in html.unescape(out).replace("\\", "")


def test_details_collapsed_per_pair(result: RunResult) -> None:
    out = render_markdown(result)
    summaries = re.findall(r"<details><summary>(.*?)</summary>", out)
    assert summaries == [  # what blocks a merge first
        "<b>ats × unity</b>: incompatible (2 errors, 1 warning)",
        "<b>payroll × synergy</b>: could not be judged (1 error, 0 warnings)",
        "<b>payroll × unity</b>: compatible (0 errors, 1 warning)",
        "<b>Other findings</b> (1)",
    ]
    assert out.count("<details>") == out.count("</details>") == 4
    rendered = _rendered(out)
    assert {"details", "summary", "table", "code"} <= rendered.tags
    text = "".join(rendered.text)
    assert "Unity limits givenName to 40 characters; ATS may send up to 100." in text
    assert 'body (application/json): {"givenName": "AAAA' in text
    assert "contracts/programmes/ats/unity.yaml:42" in text
    assert "payroll sends `expand`, which Unity does not declare." in text


def test_contract_text_is_escaped(evil: RunResult) -> None:
    out = render_markdown(evil)
    assert "<script" not in out and "<img" not in out and "<svg" not in out
    assert "@team" not in out  # no @mention from a contract
    rendered = _rendered(out)
    assert not {"script", "img", "svg", "a", "em", "strong"} & rendered.tags
    text = "".join(rendered.text)
    for payload in PAYLOADS[:5]:
        assert payload in text
    assert "[bold red]markup[/] :smile: {{ 7 * 7 }} *em* | pipe @team" in text
    for line in out.splitlines():
        if line.startswith("| ❌"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 7  # six cells: no pipe leaked in


def test_long_comments_are_cut_with_a_note(result: RunResult) -> None:
    short = render_markdown(result, max_chars=2_200)
    assert len(short) <= 2_200
    assert "more sections not shown to fit a comment" in short
    assert short.index("| programme |") < short.index("more sections")
    # the incompatible pair is kept, warnings-only ones are what goes
    assert "<b>ats × unity</b>: incompatible" in short
    assert "<b>payroll × unity</b>" not in short
    assert render(result, "markdown") == render_markdown(result)
