"""The README's "From Python" snippet runs as written and prints what its comment says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def _snippet(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, f"no python block under {heading!r}"
    return match.group(1)


def test_from_python_snippet_runs(tmp_path: Path) -> None:
    # Outside the repository (so the bundled catalogue is used) with a store of its own.
    env = {**os.environ, "INTEROP_STORE": str(tmp_path / "results.db")}
    completed = subprocess.run(
        [sys.executable, "-c", _snippet("From Python")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    first, *reasons = completed.stdout.splitlines()
    assert first == "1 1 False"
    assert reasons[0].startswith("no: can programme ats ")
    assert (tmp_path / "results.db").is_file()
