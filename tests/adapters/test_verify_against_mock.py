"""`interop verify` against the mock finds nothing: the mock honours its own contract. With the
cluster's quirks on (the default), it finds exactly the quirks by which the real cluster breaks
its own contract (error envelopes other than the declared one), and nothing else."""

from __future__ import annotations

import pytest

from interop.adapters.mock import mock_for_cluster
from interop.adapters.mock.asgi import running

from .conftest import cluster_versions


@pytest.mark.slow
@pytest.mark.parametrize(("cluster", "version"), cluster_versions())
def test_verify_finds_nothing_in_process(cluster: str, version: str) -> None:
    verify = pytest.importorskip("interop.harness.verify").verify
    mock = mock_for_cluster(cluster, version, quirks=False)
    result = verify(
        mock.contract,
        base_url=mock.base_url,
        headers=list(mock.credentials().items()),
        max_examples=5,
        transport=mock.transport(),
    )
    assert [f"{f.rule} {f.operation}: {f.message}" for f in result.findings] == []


@pytest.mark.slow
@pytest.mark.parametrize(("cluster", "version"), cluster_versions())
def test_verify_finds_exactly_the_quirks_that_break_the_contract(
    cluster: str, version: str
) -> None:
    verify = pytest.importorskip("interop.harness.verify").verify
    mock = mock_for_cluster(cluster, version)
    result = verify(
        mock.contract,
        base_url=mock.base_url,
        headers=list(mock.credentials().items()),
        max_examples=5,
        transport=mock.transport(),
    )
    expected = {
        ("verify.response-schema", quirk.operation, quirk.status)
        for quirk in mock.quirks.active
        if quirk.kind == "error-envelope"
    }
    found = {
        (f.rule, f.operation, status)
        for f in result.findings
        for status in [int(f.message.split(" answered ", 1)[1].split()[0])]
    }
    assert found == expected, [f"{f.rule} {f.operation}: {f.message}" for f in result.findings]


@pytest.mark.slow
def test_verify_finds_nothing_over_http() -> None:
    verify = pytest.importorskip("interop.harness.verify").verify
    mock = mock_for_cluster("defence", quirks=False)
    with running(mock) as base_url:
        result = verify(
            mock.contract,
            base_url=base_url,
            headers=list(mock.credentials().items()),
            max_examples=5,
        )
    assert [f"{f.rule} {f.operation}: {f.message}" for f in result.findings] == []
