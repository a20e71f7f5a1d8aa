"""Fault injection: per request (the X-Interop-Fault header) and per run (FaultConfig)."""

from __future__ import annotations

import time

import httpx
import pytest

from interop.adapters.mock import FaultConfig, mock_for_cluster, parse_fault_header
from interop.adapters.mock.auth import make_jwt
from interop.harness.errors import UsageError

AUTH = {"Authorization": f"Bearer {make_jwt()}"}


@pytest.fixture(scope="module")
def synergy():
    return mock_for_cluster("synergy")


def test_header_parsing() -> None:
    fault = parse_fault_header("429;retry-after=2, latency=150ms, slow=1s, drop")
    assert (fault.status, fault.retry_after_s, fault.latency_s) == (429, 2, 0.15)
    assert fault.slow_chunk_s == 1.0 and fault.drop
    assert parse_fault_header("503").retry_after_s == 1
    with pytest.raises(ValueError, match="unknown fault directive"):
        parse_fault_header("explode")
    with pytest.raises(ValueError, match="4xx or 5xx"):
        parse_fault_header("200")


def test_429_with_retry_after_in_the_dialects_envelope(synergy) -> None:
    client = synergy.client(headers=AUTH)
    response = client.get("/workers", headers={"X-Interop-Fault": "429;retry-after=2"})
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json()["status"] == "429"  # Oracle envelope, status as a string
    assert synergy.violations == []  # an injected fault is not the client's fault


def test_503_never_changes_state(synergy) -> None:
    client = synergy.client(headers=AUTH)
    before = client.get("/absences", params={"limit": 500}).json()["count"]
    response = client.post("/absences", json={}, headers={"X-Interop-Fault": "503"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert client.get("/absences", params={"limit": 500}).json()["count"] == before


def test_latency_and_slow_body_and_drop(synergy) -> None:
    client = synergy.client(headers=AUTH)
    started = time.perf_counter()
    assert client.get("/workers", headers={"X-Interop-Fault": "latency=120ms"}).status_code == 200
    assert time.perf_counter() - started >= 0.12
    started = time.perf_counter()
    slow = client.get("/workers", params={"limit": 1}, headers={"X-Interop-Fault": "slow=2ms"})
    assert slow.status_code == 200 and slow.json()["count"] == 1
    assert time.perf_counter() - started >= 0.002 * (len(slow.content) // 64)
    with pytest.raises(httpx.RemoteProtocolError, match="injected drop"):
        client.get("/workers", headers={"X-Interop-Fault": "drop"})


def test_malformed_fault_header_is_a_400(synergy) -> None:
    response = synergy.client(headers=AUTH).get("/workers", headers={"X-Interop-Fault": "boom"})
    assert response.status_code == 400
    assert "X-Interop-Fault".lower() in response.headers["x-interop-problem"].lower()


def test_error_rate_is_seeded_and_deterministic() -> None:
    def statuses(seed: int) -> list[int]:
        config = FaultConfig(error_rate=0.3, error_status=503)
        mock = mock_for_cluster("synergy", seed=seed, faults=config)
        client = mock.client(headers=AUTH)
        return [client.get("/positions").status_code for _ in range(40)]

    first = statuses(1)
    assert first == statuses(1)
    assert 3 <= first.count(503) <= 25
    assert set(first) == {200, 503}
    assert statuses(2) != first


def test_run_level_latency_and_drops() -> None:
    mock = mock_for_cluster("synergy", faults=FaultConfig(latency_ms=30, drop_rate=1.0))
    client = mock.client(headers=AUTH)
    started = time.perf_counter()
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/workers")
    assert time.perf_counter() - started >= 0.03


def test_fault_config_is_checked() -> None:
    with pytest.raises(UsageError, match="error-rate"):
        FaultConfig(error_rate=2.0)
    with pytest.raises(UsageError, match="error-status"):
        FaultConfig(error_status=200)
