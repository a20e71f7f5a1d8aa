"""Every response the mock sends validates against the contract, for every catalogue cluster and
version and every real spec that loads; valid requests are accepted, invalid ones rejected."""

from __future__ import annotations

import pytest

from interop.adapters.mock import mock_for_cluster, mock_for_spec
from interop.harness.errors import ContractError

from .conformance import drive
from .conftest import REAL_SPECS, cluster_versions, real_specs

_BIG = 150  # operations; specs larger than this run with the slow tests


@pytest.mark.parametrize(("cluster", "version"), cluster_versions())
def test_catalogue_cluster_conforms(cluster: str, version: str) -> None:
    mock = mock_for_cluster(cluster, version, quirks=False)
    report = drive(mock)
    assert report.problems == []
    assert report.quirked == {}
    assert not mock.unsatisfiable
    # Valid requests succeeded, invalid ones got the dialect's errors.
    assert report.statuses.get(200, 0) > 10
    assert report.statuses.get(401, 0) > 10
    assert report.statuses.get(400, 0) > 5
    assert report.sent >= 70


@pytest.mark.parametrize(("cluster", "version"), cluster_versions())
def test_catalogue_cluster_with_its_quirks(cluster: str, version: str) -> None:
    """Quirks on: only quirked answers may leave the contract, and only by an error envelope."""
    mock = mock_for_cluster(cluster, version)
    report = drive(mock)
    assert report.problems == []
    envelopes = {q.operation for q in mock.quirks.active if q.kind == "error-envelope"}
    for operation, problems in report.quirked.items():
        for problem in problems:
            assert operation in envelopes and problem.startswith("error-envelope: "), problem
    # Quirked requests that conform are not violations of the client either.
    assert all(v.status >= 400 for v in mock.violations)


def _spec_params() -> list[object]:
    out: list[object] = []
    for file, operations in real_specs():
        marks = [pytest.mark.slow] if operations > _BIG else []
        out.append(pytest.param(file, id=file, marks=marks))
    return out or [pytest.param(None, id="no-corpus")]


@pytest.mark.parametrize("file", _spec_params())
def test_real_spec_conforms(file: str | None) -> None:
    if file is None or not (REAL_SPECS / file).is_file():
        pytest.skip(f"real-spec corpus not found at {REAL_SPECS}")
    try:
        mock = mock_for_spec(REAL_SPECS / file)
    except ContractError as exc:
        pytest.skip(f"does not load: {exc}")
    report = drive(mock)
    assert report.problems == []
    assert report.sent > 0
