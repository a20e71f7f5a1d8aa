"""verify against the served cluster mocks: a self-consistent mock gives zero findings.

The mock is configured to accept only the credentials passed here, so the auth probes (no
credentials, invalid credentials) must be refused.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.harness.catalogue import load_catalogue
from interop.harness.loading import LoadedContract, load_contract
from interop.harness.openapi import contract_model
from interop.harness.verify import verify
from interop.harness.verify.generation import sendable_header_value


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


TOKEN = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': 'interop-verify'})}.c2ln"
USER, PASSWORD = "interop", "verify-pa55"
CATALOGUE = load_catalogue()
VERSIONS = [
    (cluster_id, version)
    for cluster_id, cluster in sorted(CATALOGUE.clusters.items())
    for version in cluster.versions
]


def _mock_modules() -> tuple[Any, Any]:
    mock = pytest.importorskip("interop.adapters.mock", reason="the cluster mock is not built yet")
    asgi = pytest.importorskip("interop.adapters.mock.asgi", reason="no served mock yet")
    return mock, asgi


def _credentials(contract: LoadedContract) -> list[tuple[str, str]]:
    components = contract.document.get("components") or {}
    schemes = (components.get("securitySchemes") or {}).values()
    if any(s.get("type") == "http" and str(s.get("scheme")).lower() == "basic" for s in schemes):
        pair = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        return [("Authorization", f"Basic {pair}")]
    return [("Authorization", f"Bearer {TOKEN}")]


def _mock(cluster_id: str, version: str) -> tuple[Any, LoadedContract]:
    mock_module, _ = _mock_modules()
    auth = mock_module.MockAuth(tokens=frozenset({TOKEN}), users=frozenset({(USER, PASSWORD)}))
    # The cluster's quirks break its own contract on purpose (tests/adapters asserts that verify
    # finds exactly those); here the mock must be self-consistent, so they are left out.
    mock = mock_module.mock_for_cluster(cluster_id, version, auth=auth, quirks=False)
    file = CATALOGUE.cluster(cluster_id).file_for(version)
    return mock, load_contract(file, display=CATALOGUE.display(file))


def _verify_served(cluster_id: str, version: str, max_examples: int) -> Any:
    _, asgi = _mock_modules()
    mock, contract = _mock(cluster_id, version)
    with asgi.running(mock) as url:
        return verify(
            contract,
            base_url=url,
            headers=_credentials(contract),
            max_examples=max_examples,
            workers=2,
            cluster=cluster_id,
            timeout_s=10,
        )


def _describe(result: Any) -> str:
    return "\n".join(
        f"{f.rule} {f.operation}: {f.message}\n  {(f.reproduction or '')[:300]}"
        for f in result.findings
    )


def test_the_in_process_mock_of_one_cluster_has_no_findings() -> None:
    mock, contract = _mock("matrix", CATALOGUE.cluster("matrix").current)
    result = verify(
        contract,
        base_url=mock.base_url,
        headers=_credentials(contract),
        max_examples=3,
        transport=mock.transport(),
    )
    assert result.findings == (), _describe(result)


def test_the_served_mock_of_one_cluster_has_no_findings() -> None:
    result = _verify_served("matrix", CATALOGUE.cluster("matrix").current, max_examples=3)
    assert result.findings == (), _describe(result)


@pytest.mark.slow
@pytest.mark.parametrize(("cluster_id", "version"), VERSIONS)
def test_every_served_mock_has_no_findings(cluster_id: str, version: str) -> None:
    started = time.perf_counter()
    result = _verify_served(cluster_id, version, max_examples=25)
    elapsed = time.perf_counter() - started
    print(f"verify {cluster_id} {version}: {elapsed:.1f} s, {len(result.findings)} findings")
    assert result.findings == (), _describe(result)


@pytest.mark.parametrize(
    "cluster_id",
    [
        "defence",
        *(
            pytest.param(cluster_id, marks=pytest.mark.slow)
            for cluster_id in sorted(CATALOGUE.clusters)
            if cluster_id != "defence"
        ),
    ],
)
def test_without_credentials_the_served_mock_is_seen_refusing_and_never_blamed(
    cluster_id: str,
) -> None:
    # Generated credentials can be unsendable (schemathesis makes "Bearer " with an empty
    # token); httpx refuses them before they leave, which is interop's problem, not the mock's.
    mock_module, asgi = _mock_modules()
    version = CATALOGUE.cluster(cluster_id).current
    mock = mock_module.mock_for_cluster(cluster_id, version, quirks=False)
    file = CATALOGUE.cluster(cluster_id).file_for(version)
    contract = load_contract(file, display=CATALOGUE.display(file))
    said: list[str] = []
    with asgi.running(mock) as url:
        result = verify(
            contract,
            base_url=url,
            headers=[],
            max_examples=10,
            workers=2,
            cluster=cluster_id,
            timeout_s=10,
            progress=said.append,
        )
    assert result.findings == (), _describe(result)
    [warning] = [line for line in said if "only be seen refusing" in line]
    secured = [
        op for op in contract_model(contract).operations if not op.security.anonymous_allowed
    ]
    assert f"{len(secured)} secured operation(s)" in warning
    assert secured[0].key in warning


def _h11_sends(value: str) -> bool:
    import h11

    try:
        raw = value.encode("latin-1")
        h11.Request(method="GET", target="/", headers=[("Host", "x"), ("X-Test", raw)])
    except (h11.LocalProtocolError, UnicodeEncodeError):
        return False
    return True


@pytest.mark.parametrize(
    ("value", "sendable"),
    [
        ("Bearer abc", True),
        ("Bearer ", False),
        (" x", False),
        ("a\tb", True),
        ("", True),
        ("a\x00b", False),
        ("a\nb", False),
        ("caf\u00e9", True),
        ("\u2603", False),
    ],
)
def test_a_header_value_is_sendable_exactly_when_http11_can_carry_it(
    value: str, sendable: bool
) -> None:
    assert sendable_header_value(value) is sendable
    assert _h11_sends(value) is sendable


@given(st.text(alphabet=st.characters(max_codepoint=0x17F), max_size=12))
def test_sendable_header_values_are_what_h11_sends_without_control_characters(value: str) -> None:
    # RFC 9110 field-value: h11 lets other control characters through; interop does not send
    # them, since a sandbox that refuses one would be blamed for interop's request.
    controls = any((ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F for c in value)
    assert sendable_header_value(value) is (_h11_sends(value) and not controls)
