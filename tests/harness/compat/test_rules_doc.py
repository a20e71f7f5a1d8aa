"""docs/rules.md documents every rule the engine can report, and nothing it cannot."""

from __future__ import annotations

import re
from pathlib import Path

from interop.harness.compat import CHECK_RULES, STRUCTURAL_RULES
from interop.harness.rules import RULES, SCHEMA_CONSTRAINTS

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules.md"


def test_every_check_rule_is_registered_and_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z]+(?:\.[a-z-]+)+)`", text))
    for rule_id in CHECK_RULES:
        assert rule_id in RULES, rule_id
        assert rule_id in documented, f"{rule_id} is not documented in docs/rules.md"


def test_every_rule_section_explains_why_example_and_fix() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = re.split(r"\n### ", text)[1:]
    titles = {s.split("\n", 1)[0].strip() for s in sections}
    for rule_id in STRUCTURAL_RULES:
        assert any(rule_id in title for title in titles), rule_id
    for constraint in SCHEMA_CONSTRAINTS:
        assert constraint in titles, constraint
    for section in sections:
        for part in ("**Why it breaks:**", "**Example:**", "**Fix:**"):
            assert part in section, (section.split("\n", 1)[0], part)
