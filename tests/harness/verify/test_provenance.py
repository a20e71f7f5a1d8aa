"""Evidence says what it was gathered against: verify and conform record their target URL
(credentials removed) and whether it identified itself as an interop mock."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from interop.harness.conform import ConformOptions, conform_files
from interop.harness.loading import load_document
from interop.harness.provenance import MOCK_HEADER, mock_identity
from interop.harness.results import Target
from interop.harness.verify import verify

from .faulty_sandbox import serve

CONTRACT = {
    "openapi": "3.0.3",
    "info": {"title": "ping", "version": "1.0.0"},
    "paths": {
        "/ping": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["ok"],
                                    "properties": {"ok": {"type": "boolean"}},
                                }
                            }
                        },
                    }
                }
            }
        }
    },
}


def _app(identity: str | None) -> Starlette:
    headers = {MOCK_HEADER: identity} if identity else {}

    async def ping(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True}, headers=headers)

    async def root(request: Request) -> JSONResponse:
        return JSONResponse({"title": "ping"}, headers=headers)

    return Starlette(routes=[Route("/ping", ping), Route("/", root)])


@pytest.mark.parametrize("identity", ["matrix 3.1.0", None])
def test_verify_records_its_target_and_whether_it_was_a_mock(identity: str | None) -> None:
    with serve(_app(identity)) as url:
        user_url = url.replace("http://", "http://user:pa55word@")
        result = verify(load_document(CONTRACT), base_url=user_url, max_examples=2)
    assert result.findings == ()
    assert result.run.target == Target(url=url, mock=identity)
    assert "pa55word" not in str(result.run)


@pytest.mark.parametrize("identity", ["matrix 3.1.0", None])
def test_conform_records_its_target_and_whether_it_was_a_mock(
    identity: str | None, tmp_path: Path
) -> None:
    consumer = tmp_path / "ping.yaml"
    consumer.write_text(yaml.safe_dump(CONTRACT), encoding="utf-8")
    with serve(_app(identity)) as url:
        result = conform_files(consumer, base_url=url, options=ConformOptions(max_examples=2))
    assert result.run.target == Target(url=url, mock=identity)


def test_mock_identity_reads_the_header_in_any_case() -> None:
    assert mock_identity([("x-interop-mock", " unity   2.0.0 ")]) == "unity 2.0.0"
    assert mock_identity([("Content-Type", "application/json")]) is None


def test_verify_of_a_served_interop_mock_never_counts_as_sandbox_evidence(tmp_path: Path) -> None:
    from interop.adapters.mock import mock_for_cluster
    from interop.adapters.mock.asgi import running
    from interop.harness.catalogue import load_catalogue
    from interop.harness.database import can_i_deploy, open_store
    from interop.harness.loading import load_contract

    catalogue = load_catalogue()
    cluster = catalogue.cluster("matrix")
    version = cluster.current
    contract = load_contract(cluster.file_for(version))
    with running(mock_for_cluster("matrix", version, quirks=False)) as url:
        result = verify(contract, base_url=url, max_examples=2, cluster="matrix")
    assert result.run.target is not None and result.run.target.url == url
    assert result.run.target.mock is not None and "3.1.0" in result.run.target.mock
    with open_store(str(tmp_path / "results.db"), catalogue_dir=catalogue.root) as store:
        store.record_run(result, kind="verify", cluster_versions={"matrix": version})
        decision = can_i_deploy(
            store, catalogue, cluster="matrix", version=version, environment="production"
        )
    [reason] = [r for r in decision.reasons if r.evidence == "verify"]
    assert (
        not reason.ok and "only against interop's mock" in reason.message and url in reason.message
    )
