"""Fixtures for the verify tests: the faulty sandbox served on a free port, and one run of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interop.harness.loading import LoadedContract, load_document
from interop.harness.results import RunResult
from interop.harness.verify import verify

from .faulty_sandbox import API_KEY, CONTRACT, TOKEN, make_app, serve

USER_HEADERS = (("Authorization", f"Bearer {TOKEN}"), ("X-Api-Key", API_KEY))
RUN_OPTIONS = {"max_examples": 10, "seed": 7, "timeout_s": 1.0, "max_body_bytes": 200_000}


@pytest.fixture(scope="module")
def faulty_url() -> Iterator[str]:
    with serve(make_app()) as url:
        yield url


@pytest.fixture(scope="module")
def faulty_contract() -> LoadedContract:
    return load_document(CONTRACT, file="faulty.yaml")


@pytest.fixture(scope="module")
def progress_lines() -> list[str]:
    return []


@pytest.fixture(scope="module")
def faulty_result(
    faulty_url: str, faulty_contract: LoadedContract, progress_lines: list[str]
) -> RunResult:
    return verify(
        faulty_contract,
        base_url=faulty_url,
        headers=USER_HEADERS,
        workers=2,
        cluster="faulty",
        command=f"interop verify --header 'Authorization: Bearer {TOKEN}'",
        progress=progress_lines.append,
        **RUN_OPTIONS,
    )
