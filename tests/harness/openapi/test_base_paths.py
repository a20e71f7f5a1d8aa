"""The base-path rule (``ContractModel.match``): operations match after each side's base path;
a consumer without servers (or with only a relative ``/``) addresses the provider's base URL."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.harness.loading import load_document
from interop.harness.openapi import ContractModel, contract_model, strip_base, template_key


def _model(paths: list[str], servers: Any = None, swagger_base: str | None = None) -> ContractModel:
    ops = {path: {"get": {"responses": {"200": {"description": "ok"}}}} for path in paths}
    if swagger_base is not None:
        document: dict[str, Any] = {
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "host": "api.example.com",
            "basePath": swagger_base,
            "paths": ops,
        }
        return contract_model(load_document(document))
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": ops}
    if servers is not None:
        document["servers"] = servers
    return contract_model(load_document(document))


def _reached(consumer: ContractModel, provider: ContractModel) -> list[str | None]:
    out = []
    for op in consumer.operations:
        found = provider.match(op.method, op.path, consumer.caller_base)
        out.append(found.key if found is not None else None)
    return out


XERO = [{"url": "https://api.xero.com/payroll.xro/2.0"}]


@pytest.mark.parametrize(
    ("consumer_servers", "consumer_paths", "provider_servers", "provider_paths", "reached"),
    [
        # no servers: the consumer addresses the provider's base URL
        (
            None,
            ["/Employees/{id}"],
            XERO,
            ["/Employees/{EmployeeID}"],
            "GET /Employees/{EmployeeID}",
        ),
        ([{"url": "/"}], ["/Employees"], XERO, ["/Employees"], "GET /Employees"),
        # ... or writes the provider's base path itself
        (None, ["/v3/stores"], [{"url": "https://x/v3"}], ["/stores"], "GET /stores"),
        # both absolute, different base paths: matched after each side's base path
        (
            [{"url": "https://a/api/v1"}],
            ["/stores"],
            [{"url": "https://b/v3"}],
            ["/stores"],
            "GET /stores",
        ),
        # a consumer based at /v3 reaches /v3/stores of a provider without servers
        ([{"url": "https://a/v3"}], ["/stores"], None, ["/v3/stores"], "GET /v3/stores"),
        # several provider servers: the API is under each of them
        (
            None,
            ["/live/stores"],
            [{"url": "https://x/test"}, {"url": "https://y/live"}],
            ["/stores"],
            "GET /stores",
        ),
        # a server variable without a value matches any one segment
        (
            None,
            ["/acme/v1/stores"],
            [{"url": "https://x/{tenant}/v1", "variables": {"tenant": {}}}],
            ["/stores"],
            "GET /stores",
        ),
        # a server variable at its default
        (
            None,
            ["/eu/stores"],
            [{"url": "https://x/{region}", "variables": {"region": {"default": "eu"}}}],
            ["/stores"],
            "GET /stores",
        ),
        # a different route stays missing, whatever the bases
        (None, ["/stores"], [{"url": "https://x/v3"}], ["/shops"], None),
        (None, ["/v2/stores"], [{"url": "https://x/v3"}], ["/stores"], None),
    ],
)
def test_operations_match_after_each_sides_base_path(
    consumer_servers: Any,
    consumer_paths: list[str],
    provider_servers: Any,
    provider_paths: list[str],
    reached: str | None,
) -> None:
    consumer = _model(consumer_paths, consumer_servers)
    provider = _model(provider_paths, provider_servers)
    assert _reached(consumer, provider) == [reached]


def test_swagger_2_base_path_is_the_base_path() -> None:
    provider = _model(["/FOCompany"], swagger_base="/successfactors/odata/v2")
    assert provider.base_path == "/successfactors/odata/v2"
    assert provider.declares_absolute_base
    assert _reached(_model(["/FOCompany"]), provider) == ["GET /FOCompany"]
    assert _reached(_model(["/successfactors/odata/v2/FOCompany"]), provider) == ["GET /FOCompany"]


def test_serves_at_tells_whether_a_full_path_reaches_the_operation() -> None:
    provider = _model(["/stores"], [{"url": "https://x/test"}, {"url": "https://y/v3"}])
    op = provider.operations[0]
    assert provider.serves_at(op, "/v3/stores") and provider.serves_at(op, "/test/stores")
    assert not provider.serves_at(op, "/v2/stores")


_SEGMENT = st.text(alphabet="abcXYZ019-_.", min_size=1, max_size=6)
_PATH = st.lists(_SEGMENT, max_size=4).map(lambda parts: "/" + "/".join(parts))


@given(base=st.lists(_SEGMENT, max_size=3), rest=_PATH)
def test_strip_base_undoes_prefixing(base: list[str], rest: str) -> None:
    prefix = "".join(f"/{part}" for part in base)
    full = prefix + (rest if rest != "/" else "")
    stripped = strip_base(full or "/", prefix)
    assert stripped is not None
    assert template_key(prefix + stripped) == template_key(full or "/")
    assert template_key(stripped) == template_key(rest)


@given(base=st.lists(_SEGMENT, min_size=1, max_size=3), path=_PATH)
def test_strip_base_refuses_paths_not_under_the_base(base: list[str], path: str) -> None:
    prefix = "".join(f"/{part}" for part in base)
    parts = [part for part in path.split("/") if part]
    if parts[: len(base)] == base:
        assert strip_base(path, prefix) is not None
    else:
        assert strip_base(path, prefix) is None
