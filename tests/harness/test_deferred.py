"""jsonschema's iri grammars (rfc3987_syntax: 38 lark grammars, ~2.5 s) load only when an iri
format is checked: not when generation starts, nor when lint or check read the structure of an
AsyncAPI document or a JSON Schema (every catalogue with events does)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_PROBE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from interop.harness.asyncapi.structure import structural_problems
    from interop.harness.loading import load_contract

    for name in sys.argv[1:]:
        assert structural_problems(load_contract(Path(name))) == [], name
    print("lark" in sys.modules)
    """
)


def test_reading_event_and_file_contracts_loads_no_iri_grammar() -> None:
    events = REPO / "contracts" / "clusters" / "defence" / "events" / "2.0.0.yaml"
    schema = REPO / "contracts" / "clusters" / "defence" / "files" / "payroll-costing.schema.json"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(events), str(schema)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert done.stdout.strip() == "False", done.stderr
