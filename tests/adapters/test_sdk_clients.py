"""Clients written the way vendor SDKs are (an httpx-based class per API with a method per
call, plain dict bodies, its own base URL) drive ``interop mock serve --spec`` of two real
published contracts over real HTTP: stateful sequences, partial nested updates, lists with
totals, sub-collections and unknown ids. Every response is validated against the contract,
independently of the mock (``conformance.Checker``)."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from interop.adapters.mock import Mock, mock_for_spec

from .conformance import Checker, Report
from .conftest import REAL_SPECS

pytestmark = pytest.mark.slow  # each served mock is a fresh interpreter (several seconds)

MANAGEMENT = REAL_SPECS / "adyen" / "ManagementService-v3.json"
PAY = REAL_SPECS / "govuk-pay" / "publicapi_spec.json"
INTEROP = Path(sys.executable).parent / "interop"


class Recorder:
    """Every exchange a client made, checked against the contract as it happens."""

    def __init__(self, spec: Path) -> None:
        self.mock: Mock = mock_for_spec(spec)  # reads the contract; never answers anything
        self.checker = Checker(self.mock)
        self.report = Report()
        self.calls = 0

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        self.calls += 1
        _, found = self.mock.match_route(response.request.url.path)
        assert found, f"{response.request.url.path} is no operation of the contract"
        operation = found[0][0][response.request.method]
        self.checker.check(operation, response, self.report)
        assert response.headers["x-interop-mock"].endswith(self.mock.contract.version)


# -- the "SDKs" -----------------------------------------------------------------------------------
class ManagementApi:
    """Adyen Management API v3, as a generated SDK would call it."""

    def __init__(self, base_url: str, api_key: str, recorder: Recorder) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            headers={"X-API-Key": api_key, "Accept": "application/json"},
            event_hooks={"response": [recorder]},
            timeout=30,
        )

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self._http.request(method, path, **kwargs)

    def list_merchants(self, page_number: int = 1, page_size: int = 10) -> httpx.Response:
        params = {"pageNumber": page_number, "pageSize": page_size}
        return self._call("GET", "/merchants", params=params)

    def get_merchant(self, merchant_id: str) -> httpx.Response:
        return self._call("GET", f"/merchants/{merchant_id}")

    def list_stores(
        self, merchant_id: str, page_number: int = 1, page_size: int = 10
    ) -> httpx.Response:
        params = {"pageNumber": page_number, "pageSize": page_size}
        return self._call("GET", f"/merchants/{merchant_id}/stores", params=params)

    def create_store(self, merchant_id: str, store: dict[str, Any]) -> httpx.Response:
        return self._call("POST", f"/merchants/{merchant_id}/stores", json=store)

    def get_store(self, merchant_id: str, store_id: str) -> httpx.Response:
        return self._call("GET", f"/merchants/{merchant_id}/stores/{store_id}")

    def update_store(
        self, merchant_id: str, store_id: str, changes: dict[str, Any]
    ) -> httpx.Response:
        return self._call("PATCH", f"/merchants/{merchant_id}/stores/{store_id}", json=changes)

    def close(self) -> None:
        self._http.close()


class PayApi:
    """GOV.UK Pay's public API, as its client libraries call it."""

    def __init__(self, base_url: str, api_key: str, recorder: Recorder) -> None:
        self._http = httpx.Client(
            base_url=base_url,
            headers={"Authorization": f"Bearer {api_key}"},
            event_hooks={"response": [recorder]},
            timeout=30,
        )

    def create_payment(self, payment: dict[str, Any]) -> httpx.Response:
        return self._http.post("/v1/payments", json=payment)

    def get_payment(self, payment_id: str) -> httpx.Response:
        return self._http.get(f"/v1/payments/{payment_id}")

    def search_payments(self, **filters: Any) -> httpx.Response:
        return self._http.get("/v1/payments", params=filters)

    def refund(self, payment_id: str, amount: int, available: int) -> httpx.Response:
        body = {"amount": amount, "refund_amount_available": available}
        return self._http.post(f"/v1/payments/{payment_id}/refunds", json=body)

    def get_refund(self, payment_id: str, refund_id: str) -> httpx.Response:
        return self._http.get(f"/v1/payments/{payment_id}/refunds/{refund_id}")

    def list_refunds(self, payment_id: str) -> httpx.Response:
        return self._http.get(f"/v1/payments/{payment_id}/refunds")

    def close(self) -> None:
        self._http.close()


# -- serving --------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _served(spec: Path) -> Iterator[str]:
    if not spec.is_file():
        pytest.skip(f"real-spec corpus not found at {REAL_SPECS}")
    port = _free_port()
    process = subprocess.Popen(
        [str(INTEROP), "mock", "serve", "--spec", str(spec), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"interop mock serve --spec {spec} exited with {process.returncode}")
            try:
                httpx.get(url + "/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def management_url() -> Iterator[str]:
    yield from _served(MANAGEMENT)


@pytest.fixture(scope="module")
def pay_url() -> Iterator[str]:
    yield from _served(PAY)


@pytest.fixture
def management(management_url: str) -> Iterator[tuple[ManagementApi, Recorder]]:
    recorder = Recorder(MANAGEMENT)
    api = ManagementApi(management_url + "/v3", "AQE-test-key", recorder)
    yield api, recorder
    api.close()


@pytest.fixture
def pay(pay_url: str) -> Iterator[tuple[PayApi, Recorder]]:
    recorder = Recorder(PAY)
    api = PayApi(pay_url, "api_test_key", recorder)
    yield api, recorder
    api.close()


# -- Adyen Management ---------------------------------------------------------------------------
def test_adyen_management_sdk(management: tuple[ManagementApi, Recorder]) -> None:
    api, recorder = management

    merchants = api.list_merchants(page_size=2).json()
    assert merchants["itemsTotal"] == 3  # the seeded merchants, counted, not generated
    assert merchants["pagesTotal"] == math.ceil(3 / 2)
    assert len(merchants["data"]) == 2
    last_page = api.list_merchants(page_number=2, page_size=2).json()
    assert len(last_page["data"]) == 1
    merchant, other = merchants["data"][0]["id"], merchants["data"][1]["id"]
    assert api.get_merchant(merchant).json()["id"] == merchant

    stores = api.list_stores(merchant, page_size=100).json()
    assert stores["itemsTotal"] == len(stores["data"]) > 0
    assert {s["merchantId"] for s in stores["data"]} == {merchant}  # the path's merchant

    created = api.create_store(
        merchant,
        {
            "description": "City centre store",
            "shopperStatement": "ACME LEEDS",
            "phoneNumber": "+441131234567",
            "reference": "LEEDS-01",
            "address": {
                "line1": "1 Briggate",
                "city": "Leeds",
                "postalCode": "LS1 6HD",
                "country": "GB",
            },
        },
    )
    assert created.status_code == 200, created.text
    store = created.json()
    assert store["merchantId"] == merchant
    assert store["address"]["country"] == "GB"
    assert api.get_store(merchant, store["id"]).json() == store

    # A partial update of a nested object: the rest of the address stays.
    moved = api.update_store(
        merchant, store["id"], {"address": {"line1": "2 Boar Lane", "postalCode": "LS1 5DA"}}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["address"] == {
        "line1": "2 Boar Lane",
        "city": "Leeds",
        "postalCode": "LS1 5DA",
        "country": "GB",
    }
    again = api.get_store(merchant, store["id"]).json()
    assert again == moved.json()
    assert set(again) == set(store)  # nothing invented, nothing lost
    assert again["merchantId"] == merchant and again["reference"] == "LEEDS-01"

    closed = api.update_store(merchant, store["id"], {"status": "inactive"})
    assert closed.json()["status"] == "inactive" and closed.json()["address"] == again["address"]

    after = api.list_stores(merchant, page_size=100).json()
    assert after["itemsTotal"] == stores["itemsTotal"] + 1
    assert closed.json() in after["data"]
    two_pages = api.list_stores(merchant, page_size=max(1, after["itemsTotal"] - 1)).json()
    assert two_pages["pagesTotal"] == 2

    # Unknown and foreign identifiers are refused, never answered with an invented record.
    # The Management API declares no 404: its closest client error, 400, stands in.
    assert api.get_store(other, store["id"]).status_code == 400
    assert api.get_store(merchant, "ST-NOSUCHSTORE").status_code == 400
    missing = api.update_store(merchant, "ST-NOSUCHSTORE", {"description": "x"})
    assert missing.status_code == 400
    assert "ST-NOSUCHSTORE" in missing.headers["x-interop-problem"]
    assert api.get_merchant("NO_SUCH_MERCHANT").status_code == 400
    assert api.list_stores("NO_SUCH_MERCHANT").status_code == 400
    assert api.list_stores(other, page_size=100).json()["itemsTotal"] == stores["itemsTotal"]

    assert recorder.report.problems == []
    assert recorder.calls >= 15


# -- GOV.UK Pay -----------------------------------------------------------------------------------
def test_govuk_pay_sdk(pay: tuple[PayApi, Recorder]) -> None:
    api, recorder = pay

    before = api.search_payments(display_size=500).json()
    assert before["total"] == before["count"] == len(before["results"])

    payments = []
    for n, amount in enumerate((1250, 4999)):
        created = api.create_payment(
            {
                "amount": amount,
                "reference": f"INV-{n}",
                "description": "Passport fee",
                "return_url": "https://service.example.gov.uk/done",
            }
        )
        assert created.status_code == 201, created.text
        payments.append(created.json())
    first = payments[0]
    fetched = api.get_payment(first["payment_id"]).json()
    assert (fetched["amount"], fetched["reference"]) == (1250, "INV-0")

    everything = api.search_payments(display_size=500).json()
    assert everything["total"] == before["total"] + 2
    paged = api.search_payments(display_size=1, page=2).json()
    assert paged["count"] == 1 and paged["total"] == everything["total"]
    assert int(paged["page"]) == 2
    ours = api.search_payments(reference="INV-1").json()
    assert [p["payment_id"] for p in ours["results"]] == [payments[1]["payment_id"]]

    refund = api.refund(first["payment_id"], 250, 1250)
    assert refund.status_code in (200, 202), refund.text
    refund_id = refund.json()["refund_id"]
    assert refund.json()["payment_id"] == first["payment_id"]
    assert api.get_refund(first["payment_id"], refund_id).json()["amount"] == 250
    listed = api.list_refunds(first["payment_id"]).json()
    assert refund_id in [r["refund_id"] for r in listed["_embedded"]["refunds"]]
    # The refund belongs to its payment only.
    assert api.get_refund(payments[1]["payment_id"], refund_id).status_code == 404
    others = api.list_refunds(payments[1]["payment_id"]).json()["_embedded"]["refunds"]
    assert refund_id not in [r["refund_id"] for r in others]

    assert api.get_payment("nosuchpayment0000000000000").status_code == 404
    assert api.refund("nosuchpayment0000000000000", 100, 100).status_code == 404
    assert api.get_refund(first["payment_id"], "nosuchrefund").status_code == 404

    assert recorder.report.problems == []
    assert recorder.calls >= 15
