"""docs/conform.md documents every conform rule, and no rule that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

from interop.harness.rules import RULES

DOC = Path(__file__).resolve().parents[3] / "docs" / "conform.md"


def test_every_conform_rule_is_documented_and_every_documented_one_exists() -> None:
    documented = set(re.findall(r"`(conform\.[a-z.-]+)`", DOC.read_text(encoding="utf-8")))
    registered = {rule_id for rule_id in RULES if rule_id.startswith("conform.")}
    assert documented == registered
