"""`interop verify` against the mock of every real spec that loads finds nothing.

The real-spec corpus (``../shared/corpora/real-specs``) holds published ERP and government APIs
with all their quirks; the mock built from each must honour its own contract as verify reads it.
Most run in process (the mock's httpx transport); a handful are served over real HTTP by uvicorn
on 127.0.0.1 to prove the served path. Seeds and example counts are fixed: the run is repeatable.

OpenAPI 3.0 ignores the siblings of a ``$ref`` (``harness/schema.py`` drops them), so schemas
such as Reckon's ``type: object`` beside a ``$ref`` to a string enum are satisfiable and no
exception is needed: every finding fails the test.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from interop.adapters.mock import Mock, mock_for_spec, running
from interop.harness.errors import ContractError
from interop.harness.results import Finding

from .conftest import REAL_SPECS, real_specs

_EXAMPLES = 2
_SEED = 0
_SERVED = (
    "xero/xero-finance.yaml",
    "sap-s4hana/API_SD_INCOTERMS_SRV.json",
    "govuk-pay/publicapi_spec.json",
    "ballerina-connectors/workday.coreaccounting.yml",
    "ballerina-connectors/zoho.people.yaml",
)
"""Served over HTTP: a Swagger-free 3.0 spec, an OData service under a base path with empty
server variables, a government API, a small Workday API, one with form-encoded bodies."""


def _params(files: Sequence[str]) -> list[object]:
    return [pytest.param(f, id=f) for f in files] or [pytest.param(None, id="no-corpus")]


def _mock(file: str | None) -> Mock:
    if file is None or not (REAL_SPECS / file).is_file():
        pytest.skip(f"real-spec corpus not found at {REAL_SPECS}")
    try:
        return mock_for_spec(REAL_SPECS / file, seed=_SEED)
    except ContractError as exc:
        pytest.skip(f"does not load: {exc}")


def _unexpected(mock: Mock, findings: Sequence[Finding]) -> list[str]:
    """Every finding, as text (and the mock must not know of any unsatisfiable schema)."""
    assert mock.unsatisfiable == [], mock.unsatisfiable
    return [f"{f.rule} {f.operation}: {f.message}" for f in findings]


def _verify(mock: Mock, base_url: str, *, in_process: bool) -> list[str]:
    from interop.harness.verify import verify

    result = verify(
        mock.contract,
        base_url=base_url,
        headers=list(mock.credentials().items()),
        max_examples=_EXAMPLES,
        seed=_SEED,
        transport=mock.transport() if in_process else None,
    )
    return _unexpected(mock, result.findings)


@pytest.mark.slow
@pytest.mark.parametrize("file", _params([f for f, _ in real_specs()]))
def test_verify_finds_nothing_in_process(file: str | None) -> None:
    mock = _mock(file)
    assert _verify(mock, mock.base_url, in_process=True) == []


@pytest.mark.slow
@pytest.mark.parametrize("file", _params([f for f, _ in real_specs() if f in _SERVED]))
def test_verify_finds_nothing_over_http(file: str | None) -> None:
    mock = _mock(file)
    with running(mock) as base_url:
        assert _verify(mock, base_url, in_process=False) == []
