"""The pair cache keeps exactly what the engine returned, in the result file's encoding."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.harness.cache import ResultCache
from interop.harness.codec import finding_to_dict, pair_to_dict
from interop.harness.results import Finding, PairResult

PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KEY = "ab" + "0" * 62


# The records' strategies are registered by type in tests/harness/conftest.py.
@PROPERTY
@given(st.from_type(PairResult), st.lists(st.from_type(Finding), max_size=5).map(tuple))
def test_what_is_put_is_what_is_got(pair: PairResult, findings: tuple[Finding, ...]) -> None:
    with tempfile.TemporaryDirectory() as directory:
        cache = ResultCache(Path(directory))
        cache.put(KEY, (pair, findings))
        assert cache.get(KEY) == (pair, findings)
        entry = json.loads(next(Path(directory).rglob("*.json")).read_text(encoding="utf-8"))
        assert entry == {
            "pair": pair_to_dict(pair),
            "findings": [finding_to_dict(f) for f in findings],
        }


def test_an_entry_in_another_shape_is_a_miss(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    (tmp_path / KEY[:2]).mkdir()
    entry = tmp_path / KEY[:2] / f"{KEY}.json"
    # The shape entries had before the codec: counterexamples said "where", not "in".
    pair = {
        "programme": "ats",
        "cluster": "unity",
        "consumer": {"file": "c.yaml", "version": "1", "sha256": "s"},
        "provider": {"file": "p.yaml", "version": "2", "sha256": "t"},
        "status": "incompatible",
        "operations": ["POST /workers"],
    }
    finding = {
        "severity": "error",
        "rule": "request.body.max-length",
        "message": "m",
        "programme": "ats",
        "cluster": "unity",
        "operation": "POST /workers",
        "consumer_location": None,
        "provider_location": None,
        "counterexample": {
            "where": "body",
            "value": "x",
            "name": None,
            "media_type": None,
            "status": None,
        },
        "evidence": "static",
    }
    entry.write_text(json.dumps({"pair": pair, "findings": [finding]}), encoding="utf-8")
    assert cache.get(KEY) is None
    for broken in ("{", "[]", '{"pair": {}, "findings": []}', '{"findings": []}'):
        entry.write_text(broken, encoding="utf-8")
        assert cache.get(KEY) is None
