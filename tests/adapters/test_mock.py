"""The mock's behaviour: state, dialects (paging, filters, errors, ids), validation, seeds."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import httpx
import pytest

from interop.adapters.mock import (
    MockAuth,
    MockRequest,
    build_mock,
    mock_for_cluster,
    mock_for_spec,
)
from interop.adapters.mock.auth import make_jwt
from interop.harness.errors import UsageError
from interop.harness.loading import load_contract, load_document

DATA = Path(__file__).parent / "data"
BEARER = {"Authorization": f"Bearer {make_jwt()}"}


@pytest.fixture(scope="module")
def crud_contract():
    return load_contract(DATA / "crud.yaml")


@pytest.fixture
def widgets(crud_contract):
    mock = build_mock(crud_contract)
    with mock.client(headers={"X-API-Key": "k"}) as client:
        yield mock, client


# -- state -------------------------------------------------------------------------------------
def test_post_then_get_and_list_and_delete(widgets) -> None:
    mock, client = widgets
    created = client.post("/widgets", json={"name": "Gear", "colour": "red"})
    assert created.status_code == 201
    body = created.json()
    assert body["name"] == "Gear"
    assert re.fullmatch(r"[0-9a-f-]{36}", body["id"])  # uuid, as the id's schema says
    assert "size" not in body  # optional fields the client did not send are not invented
    location = created.headers["location"]
    assert location.endswith(f"/widgets/{body['id']}")
    assert client.get(location).json() == body
    listed = client.get("/widgets", params={"colour": "red", "per_page": 50}).json()["value"]
    assert body in listed
    assert all(w["colour"] == "red" for w in listed)
    assert client.delete(f"/widgets/{body['id']}").status_code == 204
    gone = client.get(f"/widgets/{body['id']}")
    assert gone.status_code == 404
    assert gone.headers["content-type"] == "application/problem+json"
    assert gone.json()["status"] == 404
    assert mock.violations == []  # a 404 for an unknown id is not the client's fault


def test_put_replaces_and_checks_if_match(widgets) -> None:
    _, client = widgets
    created = client.post("/widgets", json={"name": "A", "colour": "red", "size": 3})
    url = created.headers["location"]
    etag = client.get(url).headers["etag"]
    stale = client.put(url, json={"name": "B", "colour": "blue"}, headers={"If-Match": '"0-x"'})
    assert stale.status_code == 412
    replaced = client.put(url, json={"name": "B", "colour": "blue"}, headers={"If-Match": etag})
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "B"
    assert "size" not in replaced.json()  # PUT dropped what the client no longer sends
    assert replaced.json()["createdAt"] == created.json()["createdAt"]  # server-managed kept
    assert client.get(url).headers["etag"] != etag


def test_paging_follows_next_links(widgets) -> None:
    _, client = widgets
    for i in range(4):
        client.post("/widgets", json={"name": f"W{i}", "colour": "green"})
    seen: list[str] = []
    url: str | None = "/widgets?per_page=2"
    while url:
        page = client.get(url).json()
        assert len(page["value"]) <= 2
        seen.extend(w["id"] for w in page["value"])
        url = page.get("@odata.nextLink")
    assert len(seen) == len(set(seen)) == 7  # 3 seeded + 4 created


def test_oracle_paging_and_q_filter() -> None:
    mock = mock_for_cluster("synergy")
    client = mock.client(headers=BEARER)
    first = client.get("/workers", params={"limit": 2}).json()
    assert (first["count"], first["limit"], first["offset"], first["hasMore"]) == (2, 2, 0, True)
    everyone = client.get("/workers", params={"limit": 500}).json()
    assert everyone["hasMore"] is False
    number = everyone["items"][1]["PersonNumber"]
    one = client.get("/workers", params={"q": f"PersonNumber='{number}'"}).json()
    assert [w["PersonNumber"] for w in one["items"]] == [number]
    ordered = client.get("/workers", params={"orderBy": "LastName:desc", "limit": 500}).json()
    names = [w["LastName"] for w in ordered["items"]]
    assert names == sorted(names, reverse=True)


def test_sap_top_skip_next_and_filter() -> None:
    mock = mock_for_cluster("unity")
    client = mock.client(headers=BEARER)
    page = client.get("/odata/v2/PerPerson", params={"$top": 2}).json()
    assert len(page["d"]["results"]) == 2
    assert "$skip=2" in page["d"]["__next"]
    person = page["d"]["results"][0]["personIdExternal"]
    assert len(person) <= 10
    found = client.get(
        "/odata/v2/PerPerson", params={"$filter": f"personIdExternal eq '{person}'"}
    ).json()
    assert [p["personIdExternal"] for p in found["d"]["results"]] == [person]
    single = client.get(f"/odata/v2/PerPerson('{person}')")
    assert single.status_code == 200


def test_workday_list_and_hex_ids() -> None:
    mock = mock_for_cluster("matrix")
    client = mock.client(headers=BEARER)
    page = client.get("/staffing/v1/dsit/workers", params={"limit": 3}).json()
    assert set(page) >= {"data", "total"}
    assert len(page["data"]) == 3 and page["total"] >= 3
    assert all(re.fullmatch(r"[0-9a-f]{32}", w["id"]) for w in page["data"])
    created = client.post(
        "/staffing/v1/dsit/preHires",
        json=_valid_body(mock, "POST /staffing/v1/{tenant}/preHires"),
    )
    assert created.status_code == 201, created.text
    assert re.fullmatch(r"[0-9a-f]{32}", created.json()["id"])


def _valid_body(mock, key: str):
    from interop.adapters.mock.generate import instance_for

    operation = next(op for op in mock.operations if op.key == key)
    shape = next(s for m, s in operation.body.media if "json" in m)
    ok, value = instance_for(shape.schema, shape.is_valid, seed=1)
    assert ok
    return value


def test_int64_ids_and_determinism_per_seed() -> None:
    def created_ids(seed: int) -> list[int]:
        mock = mock_for_cluster("defence", seed=seed)
        client = mock.client(headers=BEARER)
        body = _valid_body(mock, "POST /absences")
        return [client.post("/absences", json=body).json()["AbsenceId"] for _ in range(3)]

    first = created_ids(0)
    assert first == created_ids(0)
    assert all(isinstance(i, int) for i in first)
    assert created_ids(7) != first


# -- validation and error envelopes --------------------------------------------------------
@pytest.mark.parametrize(
    ("cluster", "path", "check"),
    [
        ("synergy", "/workers", lambda b: b["status"] == "401" and "o:errorDetails" in b),
        ("matrix", "/staffing/v1/dsit/workers", lambda b: "bearer" in b["error"]),
        ("unity", "/odata/v2/PerPerson", lambda b: b["error"]["message"]["lang"] == "en"),
    ],
)
def test_missing_credentials_get_the_dialects_401(cluster, path, check) -> None:
    mock = mock_for_cluster(cluster)
    response = mock.client().get(path)
    assert response.status_code == 401
    assert check(response.json())
    assert "missing credentials" in mock.violations[0].message


def test_overseas_errors_are_plain_text_and_basic_auth() -> None:
    mock = mock_for_cluster("overseas")
    client = mock.client()
    bearer = client.get("/workers", headers=BEARER)
    assert bearer.status_code == 401
    assert bearer.headers["www-authenticate"].startswith("Basic")
    basic = {"Authorization": "Basic " + base64.b64encode(b"fcdo:secret").decode()}
    bad = client.get("/workers", params={"limit": 9999}, headers=basic)
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("text/plain")
    assert "limit" in bad.text


def test_body_and_media_type_violations() -> None:
    mock = mock_for_cluster("synergy")
    client = mock.client(headers=BEARER)
    missing = client.post("/workers", json={"FirstName": "Ada"})
    assert missing.status_code == 400
    assert "required property" in missing.json()["detail"]
    xml = client.post("/workers", content=b"<w/>", headers={"content-type": "application/xml"})
    assert xml.status_code == 415
    broken = client.post("/workers", content=b"{", headers={"content-type": "application/json"})
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["detail"]
    # GET /workers/{PersonId} declares no 400: the closest declared status stands in.
    wrong_id = client.get("/workers/not-a-number")
    assert wrong_id.status_code == 404 and "PersonId" in wrong_id.json()["detail"]
    assert len(mock.violations) == 4


def test_scopes_in_a_jwt_are_enforced() -> None:
    mock = mock_for_cluster("synergy")
    token = make_jwt(["hcm.workers.read"])
    client = mock.client(headers={"Authorization": f"Bearer {token}"})
    assert client.get("/workers").status_code == 200
    denied = client.post("/workers", json={})
    assert denied.status_code == 403
    assert "hcm.workers.write" in denied.json()["detail"]


def test_mock_auth_narrows_accepted_tokens() -> None:
    mock = mock_for_cluster("synergy", auth=MockAuth(tokens=frozenset({"good"})))
    client = mock.client()
    assert client.get("/workers", headers={"Authorization": "Bearer good"}).status_code == 200
    assert client.get("/workers", headers={"Authorization": "Bearer bad"}).status_code == 401


def test_required_if_match_and_defence_effective_date() -> None:
    mock = mock_for_cluster("defence")
    client = mock.client(headers=BEARER)
    worker = client.get("/workers", params={"limit": 1}).json()["items"][0]["PersonId"]
    url = f"/workers/{worker}"
    etag = client.get(url).headers["etag"]
    change = {"WorkEmail": "new.name@mod.example.gov.uk"}
    missing = client.patch(url, json=change, headers={"Effective-Of": "RangeStartDate=2025-04-01"})
    assert (
        missing.status_code == 400 and "if-match" in missing.json()["o:errorDetails"][0]["detail"]
    )
    done = client.patch(
        url,
        json=change,
        headers={"If-Match": etag, "Effective-Of": "RangeStartDate=2025-04-01"},
    )
    assert done.status_code == 200, done.text
    assert client.get(url).json()["WorkEmail"] == change["WorkEmail"]


def test_unknown_path_and_method() -> None:
    mock = mock_for_cluster("synergy")
    client = mock.client(headers=BEARER)
    assert client.get("/nothing-here").status_code == 404
    response = client.delete("/workers")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "POST"}
    assert [v.status for v in mock.violations] == [404, 405]


def test_sans_io_core_and_reset() -> None:
    mock = mock_for_cluster("synergy")
    request = MockRequest("GET", mock.base_path + "/workers", "limit=1", dict(BEARER))
    request.headers = {k.lower(): v for k, v in request.headers.items()}
    answer = mock.handle(request)
    assert answer.status == 200 and answer.operation == "GET /workers" and answer.conformed
    mock.handle(MockRequest("GET", mock.base_path + "/workers"))
    assert len(mock.violations) == 1
    mock.reset()
    assert mock.violations == []


def test_swagger2_spec_loads_and_answers() -> None:
    spec = DATA.parent.parent.parent.parent / "shared/corpora/real-specs/govuk-pay"
    file = spec / "publicapi_swagger2_legacy.json"
    if not file.is_file():
        pytest.skip("real-spec corpus not available")
    mock = mock_for_spec(file)
    response = mock.client(headers=BEARER).get("/v1/payments")
    assert response.status_code == 200, response.text


def test_unknown_dialect_is_a_usage_error(crud_contract) -> None:
    with pytest.raises(UsageError, match="unknown dialect"):
        build_mock(crud_contract, dialect="cobol")


def test_async_transport(widgets) -> None:
    import asyncio

    mock, _ = widgets

    async def main() -> int:
        async with mock.async_client(headers={"X-API-Key": "k"}) as client:
            response = await client.post("/widgets", json={"name": "Async", "colour": "blue"})
            return response.status_code

    assert asyncio.run(main()) == 201


def test_respx_router_catches_plain_httpx(widgets) -> None:
    mock, _ = widgets
    with mock.respx_router():
        response = httpx.get("https://api.example.test/v1/widgets", headers={"X-API-Key": "k"})
    assert response.status_code == 200
    assert "value" in response.json()


def test_base_url_falls_back_when_the_server_url_has_no_host() -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [
            {
                "url": "https://{host}:{port}/sap/api",
                "variables": {"host": {"default": ""}, "port": {"default": ""}},
            }
        ],
        "paths": {"/things": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    mock = build_mock(load_document(document))
    assert mock.base_url == "http://mock.interop.test/sap/api"
    assert mock.client().get("/things").status_code == 200


def _things(url: str, variables: dict[str, object]) -> dict[str, object]:
    thing = {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": url, "variables": variables}],
        "paths": {
            "/things": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {"schema": {"type": "array", "items": thing}}
                            },
                        }
                    }
                },
                "post": {
                    "requestBody": {"content": {"application/json": {"schema": thing}}},
                    "responses": {
                        "201": {
                            "description": "made",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                            "content": {"application/json": {"schema": thing}},
                        }
                    },
                },
            },
            "/things/{id}": {
                "get": {
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": thing}},
                        },
                        "404": {"description": "none"},
                    },
                }
            },
        },
    }


def test_a_server_variable_without_a_value_matches_any_segment_and_is_written_as_its_name() -> None:
    # Neither default nor enum: the contract model keeps `{tenant}` in the base path.
    document = _things("https://api.example.test/{tenant}/v1", {"tenant": {}})
    mock = build_mock(load_document(document))
    assert mock.base_path == "/tenant/v1"
    assert mock.base_url == "https://api.example.test/tenant/v1"
    assert mock.client().get("/things").status_code == 200
    for path in ("/acme/v1/things", "/tenant/v1/things", "/{tenant}/v1/things", "/things"):
        assert mock.handle(MockRequest("GET", path)).status == 200, path
    assert mock.handle(MockRequest("GET", "/acme/v2/things")).status == 404
    assert mock.handle(MockRequest("GET", "/acme/things")).status == 404
    # A Location names the record under the base path the request gave, else the written one.
    made = mock.handle(MockRequest("POST", "/acme/v1/things", body=b'{"id": 7}'))
    assert made.status == 201
    made_id = json.loads(made.body)["id"]
    assert made.header("location") == f"http://localhost/acme/v1/things/{made_id}"
    made = mock.handle(MockRequest("POST", "/things", body=b'{"id": 8}'))
    made_id = json.loads(made.body)["id"]
    assert made.header("location") == f"http://localhost/tenant/v1/things/{made_id}"
    assert mock.handle(MockRequest("GET", f"/other/v1/things/{made_id}")).status == 200
    assert [v.path for v in mock.violations] == ["/acme/v2/things", "/acme/things"]


def test_a_base_path_that_is_only_a_placeholder_still_routes_paths_sent_without_it() -> None:
    mock = build_mock(load_document(_things("/{tenant}", {"tenant": {}})))
    assert mock.base_url == "http://mock.interop.test/tenant"
    assert mock.handle(MockRequest("GET", "/acme/things")).status == 200
    # `/things` alone would put `things` in the tenant's place: routed as sent instead.
    assert mock.handle(MockRequest("GET", "/things")).status == 200
    assert mock.handle(MockRequest("GET", "/things/1")).status in (200, 404)
    assert mock.handle(MockRequest("GET", "/acme/nothing")).status == 404


@pytest.mark.parametrize(
    ("url", "variables", "base_url"),
    [
        # the model's one rule: the default, else the first enum value
        (
            "https://x.example.test/{v}",
            {"v": {"default": "v2", "enum": ["v1"]}},
            "https://x.example.test/v2",
        ),
        ("https://x.example.test/{v}", {"v": {"enum": ["v1", "v2"]}}, "https://x.example.test/v1"),
        # a host without a value is no host to point clients at
        ("https://{host}/api", {"host": {}}, "http://mock.interop.test/api"),
        (
            "https://{host}:{port}/api",
            {"host": {"default": "h.test"}, "port": {}},
            "http://mock.interop.test/api",
        ),
    ],
)
def test_server_variables_follow_the_contract_models_rule(
    url: str, variables: dict[str, object], base_url: str
) -> None:
    mock = build_mock(load_document(_things(url, variables)))
    assert mock.base_url == base_url
    assert mock.client().get("/things").status_code == 200


def test_an_empty_query_value_is_an_empty_array() -> None:
    items = {"type": "string", "enum": ["a", "b"]}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "parameters": [
                        {
                            "name": "select",
                            "in": "query",
                            "explode": False,
                            "schema": {"type": "array", "items": items},
                        },
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    client = build_mock(load_document(document)).client()
    assert client.get("/things", params={"select": ""}).status_code == 200
    assert client.get("/things", params={"select": "a,b"}).status_code == 200
    assert client.get("/things", params={"select": "c"}).status_code == 400


def test_an_empty_form_body_is_a_form_without_its_required_fields() -> None:
    form = {"type": "object", "required": ["data"], "properties": {"data": {"type": "string"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/imports": {
                "post": {
                    "requestBody": {
                        "content": {"application/x-www-form-urlencoded": {"schema": form}}
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    client = build_mock(load_document(document)).client()
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post("/imports", content=b"", headers=form_type).status_code == 400
    assert client.post("/imports", content=b"data=x", headers=form_type).status_code == 200
    assert client.post("/imports").status_code == 200  # no body at all: it is optional


def test_created_ids_follow_the_fixture_id_fields_type() -> None:
    """A collection with no item path gets its id field from the fixtures (Overseas recharges):
    new records still get fresh ids of that field's type, not one generated example for all."""
    mock = mock_for_cluster("overseas")
    client = mock.client(headers=mock.credentials())
    body = {
        "PartnerDepartment": "DBT",
        "Post": "British Embassy Tokyo",
        "ServiceType": "PLATFORM_SERVICE",
        "PeriodStartDate": "2026-07-01",
        "PeriodEndDate": "2026-09-30",
        "Amount": 18420.0,
        "Currency": "GBP",
        "CostCenterCode": "JP-TYO-PLT",
    }
    ids = [client.post("/recharges", json=body).json()["RechargeId"] for _ in range(3)]
    assert len(set(ids)) == 3 and all(isinstance(i, int) and i > 300_000_000_000 for i in ids)
    listed = [r["RechargeId"] for r in client.get("/recharges", params={"q": "x"}).json()["items"]]
    assert set(ids) <= set(listed) and len(set(listed)) == len(listed)
