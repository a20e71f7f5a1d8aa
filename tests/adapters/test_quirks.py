"""Mock quirks: documented behaviour of a real cluster that its contract cannot show, replayed
by the mock (on by default, off with ``quirks=False``), and checked when the fixtures load."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import yaml

from interop.adapters.mock import QUIRK_HEADER, build_mock, mock_for_cluster
from interop.adapters.mock.quirks import load_quirks, oracle_hash_key
from interop.harness.errors import CatalogueError
from interop.harness.loading import load_contract
from interop.harness.schema import SchemaSet

REPO = Path(__file__).resolve().parents[2]


def _client(mock: Any) -> httpx.Client:
    return httpx.Client(
        transport=mock.transport(), base_url=mock.base_url, headers=mock.credentials()
    )


# -- ignore-query-parameter -------------------------------------------------------------------
def _people(client: httpx.Client, **params: int) -> list[str]:
    response = client.get("/odata/v2/PerPerson", params={f"${k}": v for k, v in params.items()})
    assert response.status_code == 200, response.text
    return [r["personIdExternal"] for r in response.json()["d"]["results"]]


def test_ignored_offset_makes_every_page_the_first() -> None:
    mock = mock_for_cluster("unity")
    with _client(mock) as client:
        first = _people(client, top=3)
        second = client.get("/odata/v2/PerPerson", params={"$top": 3, "$skip": 3})
        assert second.status_code == 200
        assert [r["personIdExternal"] for r in second.json()["d"]["results"]] == first
        assert second.headers[QUIRK_HEADER] == "ignore-query-parameter"
        assert "__next" in second.json()["d"]  # more records remain: a pager keeps going
        # Still validated: the contract declares it, so a bad value is still refused.
        assert client.get("/odata/v2/PerPerson", params={"$skip": "x"}).status_code == 400
    assert mock.violations[-1].status == 400
    assert len(mock.violations) == 1  # the quirk itself is not a violation


def test_quirks_off_pages_normally() -> None:
    mock = mock_for_cluster("unity", quirks=False)
    assert not mock.quirks
    with _client(mock) as client:
        first, second = _people(client, top=3), _people(client, top=3, skip=3)
        assert not set(first) & set(second)
        response = client.get("/odata/v2/PerPerson", params={"$top": 3, "$skip": 3})
        assert QUIRK_HEADER not in response.headers


# -- location-identifier ----------------------------------------------------------------------
_PENDING = {
    "FirstName": "Priya",
    "LastName": "Shah",
    "ProposedStartDate": "2026-09-07",
    "LegalEmployerName": "Home Office",
    "PositionCode": "HO-POS-007781",
}


def test_location_names_the_record_by_oracle_hash_key() -> None:
    mock = mock_for_cluster("synergy")
    with _client(mock) as client:
        created = client.post("/pendingWorkers", json=_PENDING)
        assert created.status_code == 201, created.text
        person = created.json()["PendingWorkerId"]
        location = created.headers["location"]
        assert created.headers[QUIRK_HEADER] == "location-identifier"
        last = location.rsplit("/", 1)[1]
        assert last == oracle_hash_key(str(person))
        assert re.fullmatch(r"00020000000EACED00057708[0-9A-F]+78", last)
        assert last.startswith("00020000000EACED00057708" + f"{person:016X}")
        # Not a PendingWorkerId: the read by id refuses it (the contract says int64) ...
        assert client.get(f"/pendingWorkers/{last}").status_code in (400, 404)
        # ... while the record is there under its real id.
        assert client.get(f"/pendingWorkers/{person}").status_code == 200
    # The create broke nothing: only the client's read by hash key is a violation.
    assert [v.path.rsplit("/", 1)[1] for v in mock.violations] == [last]


def test_location_by_another_field(tmp_path: Path) -> None:
    fixtures = _fixtures(
        tmp_path,
        [
            {
                "kind": "location-identifier",
                "operation": "POST /pendingWorkers",
                "field": "PersonNumber",
                "reason": "named by the person number",
            }
        ],
    )
    mock = build_mock(_synergy(), fixtures=fixtures)
    with _client(mock) as client:
        created = client.post("/pendingWorkers", json=_PENDING)
        number = created.json()["PersonNumber"]
        assert created.headers["location"].endswith("/pendingWorkers/" + quote(number, safe=""))
        read_back = client.get("/pendingWorkers/" + quote(number, safe=""))
        assert read_back.status_code in (400, 404)


def test_quirks_off_location_is_the_read_key() -> None:
    mock = mock_for_cluster("synergy", quirks=False)
    with _client(mock) as client:
        created = client.post("/pendingWorkers", json=_PENDING)
        location = created.headers["location"]
        assert location.endswith(f"/pendingWorkers/{created.json()['PendingWorkerId']}")
        assert QUIRK_HEADER not in created.headers
        assert client.get(location).status_code == 200


# -- error-envelope ---------------------------------------------------------------------------
def test_error_envelope_replaces_the_declared_404() -> None:
    mock = mock_for_cluster("defence")
    with _client(mock) as client:
        response = client.get("/newHires/300000999999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"statusCode": 404, "message": "Resource not found"}
    assert response.headers[QUIRK_HEADER] == "error-envelope"
    assert mock.violations == []  # an unknown id is no violation, quirk or not
    # The cluster breaks its own contract here: the declared envelope needs title and status.
    declared = SchemaSet(mock.contract).validator("/components/schemas/Error", "response")
    assert declared.first_error(response.json()) is not None


def test_error_envelope_leaves_other_statuses_and_operations_alone() -> None:
    mock = mock_for_cluster("defence")
    with _client(mock) as client:
        other = client.get("/workers/300000999999999")
        assert other.status_code == 404 and "title" in other.json()
        assert QUIRK_HEADER not in other.headers
        unauthorised = client.get(
            "/newHires/300000999999999", headers={"Authorization": "Bearer expired"}
        )
        assert unauthorised.status_code == 401 and "title" in unauthorised.json()


def test_error_envelope_text_plain(tmp_path: Path) -> None:
    fixtures = _fixtures(
        tmp_path,
        [
            {
                "kind": "error-envelope",
                "operation": "GET /pendingWorkers/{PendingWorkerId}",
                "status": 404,
                "media_type": "text/plain",
                "body": "Not Found",
                "reason": "the gateway answers for the backend",
            }
        ],
    )
    mock = build_mock(_synergy(), fixtures=fixtures)
    with _client(mock) as client:
        response = client.get("/pendingWorkers/300000999999999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "Not Found"


def test_quirks_off_sends_the_declared_envelope() -> None:
    mock = mock_for_cluster("defence", quirks=False)
    with _client(mock) as client:
        response = client.get("/newHires/300000999999999")
    assert response.status_code == 404
    assert {"title", "status"} <= set(response.json())
    assert QUIRK_HEADER not in response.headers


def test_quirks_are_logged_not_counted_as_violations() -> None:
    mock = mock_for_cluster("defence")
    lines: list[str] = []
    mock.listeners.append(lambda exchange: lines.append(str(exchange)))
    with _client(mock) as client:
        client.get("/newHires/300000999999999")
    assert "conformed" in lines[0] and "quirk=error-envelope" in lines[0]


def test_injected_faults_are_not_quirked() -> None:
    mock = mock_for_cluster("defence")
    with _client(mock) as client:
        response = client.get("/newHires/300000999999999", headers={"X-Interop-Fault": "503"})
    assert response.status_code == 503 and QUIRK_HEADER not in response.headers


# -- the catalogue's quirks -------------------------------------------------------------------
def test_catalogue_quirks_name_operations_of_their_fixtures_version() -> None:
    found = 0
    for file in sorted((REPO / "fixtures").glob("*/fixtures.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        quirks = load_quirks(file)
        if not quirks:
            continue
        contract = load_contract(
            REPO / "contracts" / "clusters" / data["cluster"] / f"{data['version']}.yaml"
        )
        operations = {f"{m.upper()} {p}" for m, p, _, _ in contract.operations()}
        for quirk in quirks:
            found += 1
            assert quirk.operation in operations, f"{file}: {quirk.describe()}"
            assert len(quirk.reason) > 60, f"{file}: say why the real cluster does this"
        mock = mock_for_cluster(data["cluster"], data["version"])
        assert len(mock.quirks.active) == len(quirks)
    assert found >= 3


# -- bad entries ------------------------------------------------------------------------------
def _synergy() -> Any:
    return load_contract(REPO / "contracts" / "clusters" / "synergy" / "1.5.0.yaml")


def _fixtures(tmp_path: Path, quirks: Any) -> Path:
    file = tmp_path / "fixtures.yaml"
    file.write_text(
        yaml.safe_dump(
            {"cluster": "synergy", "version": "1.5.0", "collections": [], "quirks": quirks}
        ),
        encoding="utf-8",
    )
    return file


_OK = {
    "kind": "ignore-query-parameter",
    "operation": "GET /workers",
    "parameter": "offset",
    "reason": "cursor paging",
}


@pytest.mark.parametrize(
    ("quirks", "message"),
    [
        ({"kind": "x"}, "must be a list"),
        (["nope"], "quirks[0]: expected a mapping"),
        ([{**_OK, "kind": "slow"}], "quirks[0]: 'kind' must be one of"),
        ([{**_OK, "operation": "/workers"}], "'operation' must be 'METHOD /path'"),
        ([{**_OK, "reason": ""}], "'reason' is required"),
        ([{**_OK, "parameter": None}], "'parameter'"),
        ([{**_OK, "status": 404}], "unknown key(s) for ignore-query-parameter: status"),
        ([_OK, _OK], "quirks[1] repeats"),
        (
            [{"kind": "location-identifier", "operation": "POST /pendingWorkers", "reason": "r"}],
            "exactly one of 'field'",
        ),
        (
            [
                {
                    "kind": "location-identifier",
                    "operation": "POST /pendingWorkers",
                    "reason": "r",
                    "surrogate": "sha1",
                }
            ],
            "'surrogate' must be one of",
        ),
        (
            [
                {
                    "kind": "location-identifier",
                    "operation": "GET /workers",
                    "reason": "r",
                    "field": "PersonNumber",
                }
            ],
            "applies to a create",
        ),
        (
            [
                {
                    "kind": "error-envelope",
                    "operation": "GET /workers/{PersonId}",
                    "reason": "r",
                    "status": 200,
                    "media_type": "text/plain",
                    "body": "x",
                }
            ],
            "'status' must be",
        ),
        (
            [
                {
                    "kind": "error-envelope",
                    "operation": "GET /workers/{PersonId}",
                    "reason": "r",
                    "status": 404,
                    "media_type": "plain",
                    "body": "x",
                }
            ],
            "'media_type'",
        ),
        (
            [
                {
                    "kind": "error-envelope",
                    "operation": "GET /workers/{PersonId}",
                    "reason": "r",
                    "status": 404,
                    "media_type": "text/plain",
                }
            ],
            "'body' is required",
        ),
        (
            [
                {
                    "kind": "error-envelope",
                    "operation": "GET /workers/{PersonId}",
                    "reason": "r",
                    "status": 404,
                    "media_type": "text/plain",
                    "body": {"a": 1},
                }
            ],
            "must be a string",
        ),
        ([{**_OK, "parameter": "cursor"}], "declares no query parameter 'cursor'"),
    ],
)
def test_bad_quirks_name_the_file(tmp_path: Path, quirks: Any, message: str) -> None:
    fixtures = _fixtures(tmp_path, quirks)
    with pytest.raises(CatalogueError) as caught:
        build_mock(_synergy(), fixtures=fixtures)
    text = str(caught.value)
    assert str(fixtures) in text
    assert message in text


def test_bad_quirks_are_ignored_when_quirks_are_off(tmp_path: Path) -> None:
    fixtures = _fixtures(tmp_path, [{**_OK, "kind": "slow"}])
    assert not build_mock(_synergy(), fixtures=fixtures, quirks=False).quirks


def test_a_quirk_on_an_operation_another_version_lacks_is_skipped(tmp_path: Path) -> None:
    fixtures = _fixtures(tmp_path, [{**_OK, "operation": "GET /timesheets"}])
    assert not build_mock(_synergy(), fixtures=fixtures).quirks
