"""A bug inside the mock is answered, not dropped: 500 in the error envelope, an
``X-Interop-Problem`` saying it is interop's own failure, one line on stderr; and verify and
conform report such answers as interop's problem (``*.interop-problem``), never as the
cluster's defect."""

from __future__ import annotations

import httpx
import pytest

from interop.adapters.mock import Mock, mock_for_cluster
from interop.adapters.mock.asgi import running
from interop.harness.provenance import MOCK_INTERNAL_ERROR, mock_internal_error
from interop.harness.results import Severity


def _broken(mock: Mock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read, update, replace and delete of one item raises inside the mock."""

    def fail(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("simulated bug in the item handler")

    monkeypatch.setattr(mock, "_item", fail)


def _item_path(mock: Mock) -> str:
    operation = next(op for op in mock.operations if op.kind == "read")
    collection = operation.collection
    collection.ensure_seeded(mock.store)
    key = next(iter(collection.records))
    assert collection.item_template and collection.id_param_name
    return collection.item_template.replace("{" + collection.id_param_name + "}", key)


def test_an_internal_error_is_a_500_in_the_envelope_that_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mock = mock_for_cluster("synergy", quirks=False)
    _broken(mock, monkeypatch)
    with running(mock) as base_url, httpx.Client(base_url=base_url) as client:
        answer = client.get(_item_path(mock), headers=mock.credentials())
        still = client.get("/workers", headers=mock.credentials())
    assert answer.status_code == 500
    problem = answer.headers["x-interop-problem"]
    assert problem.startswith(MOCK_INTERNAL_ERROR) and "simulated bug" in problem
    assert answer.headers["x-interop-mock"].startswith("synergy ")
    assert "Traceback" not in answer.text and "simulated bug" in answer.json()["detail"]
    assert mock.error_shape is not None and mock.error_shape.is_valid(answer.json())
    assert mock_internal_error(answer.headers.multi_items()) == problem
    assert mock.violations == []  # the client did nothing wrong
    assert still.status_code == 200  # the server is still up
    lines = [line for line in capsys.readouterr().err.splitlines() if MOCK_INTERNAL_ERROR in line]
    assert len(lines) == 1 and "GET " in lines[0]


def test_a_sandbox_500_is_not_taken_for_a_mock_internal_error() -> None:
    headers = [("X-Interop-Problem", f"{MOCK_INTERNAL_ERROR}: KeyError")]
    assert mock_internal_error(headers) is None  # no X-Interop-Mock: not an interop mock
    assert mock_internal_error([("x-interop-mock", "synergy 1.5.0"), *headers]) is not None
    assert mock_internal_error([("x-interop-mock", "s 1"), ("x-interop-problem", "no")]) is None


@pytest.mark.parametrize("broken", [False, True], ids=["passing", "failing"])
def test_verify_reports_the_mock_internal_error_as_interop_problem(
    broken: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    verify = pytest.importorskip("interop.harness.verify").verify
    mock = mock_for_cluster("synergy", quirks=False)
    if broken:
        _broken(mock, monkeypatch)
    result = verify(
        mock.contract,
        base_url=mock.base_url,
        headers=list(mock.credentials().items()),
        max_examples=2,
        transport=mock.transport(),
    )
    item_operations = {op.key for op in mock.operations if op.kind in ("read", "update")}
    problems = {f.operation for f in result.findings if f.rule == "verify.interop-problem"}
    others = [
        f"{f.rule} {f.operation}" for f in result.findings if f.rule != "verify.interop-problem"
    ]
    assert others == []  # never the sandbox's defect
    if broken:
        assert item_operations <= problems
        assert all(f.severity is Severity.WARNING for f in result.findings)
        assert all("interop's problem" in f.message for f in result.findings)
    else:
        assert problems == set()


@pytest.mark.parametrize("broken", [False, True], ids=["passing", "failing"])
def test_conform_reports_the_mock_internal_error_as_interop_problem(
    broken: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interop.harness.conform import ConformOptions, conform_files

    mock = mock_for_cluster("synergy", quirks=False)
    if broken:
        _broken(mock, monkeypatch)
    with running(mock) as base_url:
        result = conform_files(
            mock.contract.file,
            base_url=base_url,
            headers=list(mock.credentials().items()),
            options=ConformOptions(max_examples=2),
        )
    live = [f for f in result.findings if f.evidence == "live"]
    problems = {f.operation for f in live if f.rule == "conform.interop-problem"}
    assert not [f for f in live if f.rule == "conform.server-error"]
    if broken:
        assert problems, [f"{f.rule} {f.operation}" for f in result.findings]
    else:
        assert problems == set()
