"""verify against a sandbox with planted defects: each one reported, separately, nothing else."""

from __future__ import annotations

import json
import logging
import shlex
import subprocess

import pytest

from interop.harness.loading import LoadedContract
from interop.harness.render import FORMATS, render
from interop.harness.result_file import dumps_result
from interop.harness.results import RunResult, Severity
from interop.harness.rules import RULES
from interop.harness.verify import verify

from .conftest import RUN_OPTIONS, USER_HEADERS
from .faulty_sandbox import API_KEY, PLANTED, PLANTED_COUNT, TOKEN


def test_every_planted_defect_is_reported_and_nothing_else(faulty_result: RunResult) -> None:
    found = [(f.rule, f.operation) for f in faulty_result.findings]
    assert set(found) == PLANTED
    assert len(found) == PLANTED_COUNT
    assert faulty_result.exit_code == 1


def test_independent_defects_on_one_operation_are_separate_findings(
    faulty_result: RunResult,
) -> None:
    on_list = [f for f in faulty_result.findings if f.operation == "GET /workers"]
    assert sorted(f.rule for f in on_list) == [
        "verify.ignored-auth",
        "verify.negative-data",
        "verify.response-header",
        "verify.response-header",
        "verify.response-schema",
    ]
    headers = sorted(f.message for f in on_list if f.rule == "verify.response-header")
    assert "X-Rate-Limit-Remaining" in headers[0]
    assert "X-Total-Count" in headers[1]


def test_duplicates_of_one_root_cause_are_merged_with_a_count(faulty_result: RunResult) -> None:
    schema = next(f for f in faulty_result.findings if f.rule == "verify.response-schema")
    assert "/data/*/hireDate" in schema.message
    assert "seen in" in schema.message
    assert schema.response is not None and schema.response["occurrences"] > 1


def test_each_finding_carries_request_response_and_reproduction(faulty_result: RunResult) -> None:
    for finding in faulty_result.findings:
        assert finding.rule in RULES
        assert finding.severity is Severity.ERROR
        assert finding.cluster == "faulty"
        assert finding.evidence == "live"
        assert finding.request is not None and finding.request["url"].startswith("http://")
        assert finding.request["method"] in ("GET", "POST", "PUT", "PATCH", "DELETE")
        assert finding.response is not None and "status" in finding.response
        assert finding.reproduction is not None and finding.reproduction.startswith("curl ")
        assert finding.request["method"] in finding.reproduction


def test_garbage_is_a_finding_with_a_truncated_body(faulty_result: RunResult) -> None:
    by_rule = {f.rule: f for f in faulty_result.findings}
    huge = by_rule["verify.response-too-large"]
    assert huge.response is not None
    assert len(huge.response["body"]) < 2200 and "truncated" in huge.response["body"]
    slow = by_rule["verify.response-timeout"]
    assert slow.response is not None and "1 s" in slow.response["error"]
    assert slow.response["elapsed_s"] >= 1.0
    assert by_rule["verify.response-malformed"].response is not None


def test_reproduction_reproduces(faulty_result: RunResult, faulty_url: str) -> None:
    """The curl command, with the placeholder set in the environment, gets the same answer."""
    finding = next(f for f in faulty_result.findings if f.rule == "verify.status-code")
    assert finding.reproduction is not None
    assert "${INTEROP_HEADER_AUTHORIZATION}" in finding.reproduction
    env = {"INTEROP_HEADER_AUTHORIZATION": f"Bearer {TOKEN}", "PATH": "/usr/bin:/bin"}
    try:
        out = subprocess.run(
            ["bash", "-c", finding.reproduction],
            capture_output=True,
            text=True,
            env=env,
            timeout=10,
            check=False,
        )
    except FileNotFoundError:  # pragma: no cover
        pytest.skip("no bash")
    if out.returncode == 127:
        pytest.skip("curl is not installed")
    assert out.stdout.startswith("HTTP/1.1 200")
    assert shlex.split(finding.reproduction)[0] == "curl"


# -- secrets ----------------------------------------------------------------------------------
SECRETS = (TOKEN, API_KEY)


@pytest.mark.parametrize("fmt", FORMATS)
def test_secrets_never_appear_in_any_format(faulty_result: RunResult, fmt: str) -> None:
    text = render(faulty_result, fmt, title="interop verify")
    for secret in SECRETS:
        assert secret not in text


def test_secrets_are_placeholders_in_the_json_result(faulty_result: RunResult) -> None:
    text = dumps_result(faulty_result)
    for secret in SECRETS:
        assert secret not in text
    document = json.loads(text)
    headers = [f["request"]["headers"] for f in document["findings"]]
    assert any(h.get("authorization") == "$INTEROP_HEADER_AUTHORIZATION" for h in headers)
    assert any(h.get("x-api-key") == "$INTEROP_HEADER_X_API_KEY" for h in headers)
    # The payslip endpoint echoes the credentials in its body: scrubbed there too.
    payslip = next(f for f in document["findings"] if f["rule"] == "verify.response-malformed")
    assert "$INTEROP_HEADER_AUTHORIZATION" in payslip["response"]["body"]
    assert "$INTEROP_HEADER_X_API_KEY" in payslip["response"]["body"]
    assert TOKEN not in document["run"]["command"]


def test_secrets_never_appear_in_progress_or_logs(
    faulty_url: str,
    faulty_contract: LoadedContract,
    progress_lines: list[str],
    faulty_result: RunResult,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert progress_lines
    for line in progress_lines:
        for secret in SECRETS:
            assert secret not in line
    with caplog.at_level(logging.DEBUG):
        verify(
            faulty_contract,
            base_url=faulty_url.replace("http://", f"http://u:{TOKEN}@"),
            headers=USER_HEADERS[1:],
            **{**RUN_OPTIONS, "max_examples": 2},
        )
    assert caplog.records
    for record in caplog.records:
        for secret in SECRETS:
            assert secret not in record.getMessage()


# -- determinism ------------------------------------------------------------------------------
@pytest.mark.slow
def test_same_seed_same_findings_whatever_the_workers(
    faulty_url: str, faulty_contract: LoadedContract, faulty_result: RunResult
) -> None:
    again = verify(
        faulty_contract,
        base_url=faulty_url,
        headers=USER_HEADERS,
        workers=1,
        cluster="faulty",
        **RUN_OPTIONS,
    )

    def stable(result: RunResult) -> list[tuple[str, str | None, str]]:
        return [(f.rule, f.operation, f.message) for f in result.findings]

    assert stable(again) == stable(faulty_result)
