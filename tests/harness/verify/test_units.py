"""Unit tests for the pieces of verify: redaction, curl commands, response checks, merging."""

from __future__ import annotations

import shlex
import subprocess

import httpx
import pytest

from interop.harness.loading import load_document
from interop.harness.openapi import Link, Operation, contract_model
from interop.harness.verify.checks import ResponseChecker
from interop.harness.verify.findings import Observation, merge
from interop.harness.verify.redaction import Redactor, placeholder_for
from interop.harness.verify.reproduction import curl_command
from interop.harness.verify.transport import Exchange, SentRequest, send

# -- redaction --------------------------------------------------------------------------------


def test_placeholder_names_the_header() -> None:
    assert placeholder_for("Authorization") == "$INTEROP_HEADER_AUTHORIZATION"
    assert placeholder_for("X-Api-Key") == "$INTEROP_HEADER_X_API_KEY"


def test_redactor_replaces_whole_values_and_bare_credentials() -> None:
    redactor = Redactor.for_run([("Authorization", "Bearer abc.def.ghi"), ("X-Key", "k3y-value")])
    assert redactor.header_value("authorization", "Bearer abc.def.ghi") == (
        "$INTEROP_HEADER_AUTHORIZATION"
    )
    echoed = "token abc.def.ghi and Bearer abc.def.ghi and k3y-value"
    cleaned = redactor.text(echoed)
    assert "abc.def.ghi" not in cleaned and "k3y-value" not in cleaned
    nested = redactor.data({"a": ["x k3y-value y"], "k3y-value": 1})
    assert "k3y-value" not in repr(nested)


def test_short_values_are_replaced_as_headers_but_not_searched_for() -> None:
    redactor = Redactor.for_run([("X-Tenant", "a1")])
    assert redactor.header_value("X-Tenant", "a1") == "$INTEROP_HEADER_X_TENANT"
    assert redactor.text("data a1") == "data a1"


def test_url_credentials_are_removed() -> None:
    redactor = Redactor.for_run([], "https://user:pa55word@host.example:8443/api")
    assert redactor.url("https://user:pa55word@host.example:8443/api/x") == (
        "https://***@host.example:8443/api/x"
    )
    assert "pa55word" not in redactor.text("failed for pa55word")


# -- reproduction -----------------------------------------------------------------------------


def test_curl_quotes_everything_but_placeholders() -> None:
    command = curl_command(
        "POST",
        "http://h/x?a=1&b='2'",
        [("Authorization", "$INTEROP_HEADER_AUTHORIZATION"), ("X-Odd", 'q"$`\\')],
        '{"name": "O\'Brien $HOME"}',
    )
    words = shlex.split(command)
    assert words[:6] == ["curl", "-sS", "-i", "-X", "POST", "http://h/x?a=1&b='2'"]
    assert "${INTEROP_HEADER_AUTHORIZATION}" in command
    out = subprocess.run(
        ["bash", "-c", "printf '%s\\n' " + command.removeprefix("curl ")],
        capture_output=True,
        text=True,
        check=True,
        env={"INTEROP_HEADER_AUTHORIZATION": "Bearer t0k", "HOME": "/nowhere"},
    )
    lines = out.stdout.splitlines()
    assert "Authorization: Bearer t0k" in lines
    assert 'X-Odd: q"$`\\' in lines
    assert '{"name": "O\'Brien $HOME"}' in lines


# -- checks -----------------------------------------------------------------------------------

CONTRACT = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"X-Count": {"required": True, "schema": {"type": "integer"}}},
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id"],
                                        "properties": {
                                            "id": {"type": "string", "format": "uuid"},
                                            "when": {"type": "string", "format": "date-time"},
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "4XX": {"description": "client error", "content": {"application/*": {}}},
                }
            }
        }
    },
}
UUID = "0b5b2b4e-8d5c-4c7e-9d0e-2f8f9a0b1c2d"


def _exchange(status: int, body: bytes, headers: dict[str, str]) -> Exchange:
    request = SentRequest(method="GET", url="http://h/things", headers=())
    return Exchange(request=request, status=status, headers=tuple(headers.items()), body=body)


@pytest.fixture(scope="module")
def checker() -> tuple[ResponseChecker, Operation]:
    contract = load_document(CONTRACT)
    return ResponseChecker(contract), contract_model(contract).operations[0]


def test_a_conforming_answer_has_no_observations(
    checker: tuple[ResponseChecker, Operation],
) -> None:
    check, spec = checker
    body = f'[{{"id": "{UUID}", "when": "2024-01-01T00:00:00Z"}}]'.encode()
    ok = _exchange(200, body, {"content-type": "application/json", "x-count": "1"})
    assert check.check(spec, ok) == []
    assert check.check(spec, _exchange(404, b"{}", {"content-type": "application/problem"})) == []


def test_every_distinct_problem_is_observed(checker: tuple[ResponseChecker, Operation]) -> None:
    check, spec = checker
    body = b'[{"id": "nope", "when": "yesterday"}, {"id": "also-nope"}, {}]'
    found = check.check(spec, _exchange(200, body, {"content-type": "application/json"}))
    keys = sorted((o.rule, o.key) for o in found)
    assert keys == [
        ("verify.response-header", ("200", "x-count", "missing")),
        ("verify.response-schema", ("200", "application/json", "/*", "required")),
        ("verify.response-schema", ("200", "application/json", "/*/id", "format")),
        ("verify.response-schema", ("200", "application/json", "/*/when", "format")),
    ]


def test_status_content_type_and_server_errors(
    checker: tuple[ResponseChecker, Operation],
) -> None:
    check, spec = checker
    [teapot] = check.check(spec, _exchange(302, b"", {}))
    assert teapot.rule == "verify.status-code"
    [server] = check.check(spec, _exchange(503, b"x", {"content-type": "text/plain"}))
    assert server.rule == "verify.server-error"
    [media] = check.check(spec, _exchange(400, b"<p>", {"content-type": "text/html"}))
    assert media.rule == "verify.content-type"
    assert check.check(spec, _exchange(302, b"", {}), lenient_4xx=True)[0].rule == (
        "verify.status-code"
    )
    [bad_json] = check.check(
        spec, _exchange(200, b"{", {"content-type": "application/json", "x-count": "2"})
    )
    assert bad_json.rule == "verify.response-malformed"
    [header] = check.check(
        spec, _exchange(200, b"[]", {"content-type": "application/json", "x-count": "many"})
    )
    assert header.rule == "verify.response-header" and "x-count" in header.key


def test_merge_keeps_the_first_example_and_counts() -> None:
    redactor = Redactor.for_run([("Authorization", "Bearer zzzz-secret")])
    request = SentRequest(
        method="GET", url="http://h/t", headers=(("Authorization", "Bearer zzzz-secret"),)
    )
    first = Exchange(request=request, status=200, body=b"zzzz-secret", headers=())
    second = Exchange(request=request, status=201, headers=())
    observations = [
        Observation("verify.status-code", "GET /t", (200,), "m zzzz-secret", first),
        Observation("verify.status-code", "GET /t", (200,), "other", second),
        Observation("verify.status-code", "GET /t", (201,), "third", second),
    ]
    findings = merge(observations, redactor, cluster="c")
    assert len(findings) == 2
    merged = next(f for f in findings if f.response and f.response["status"] == 200)
    assert merged.message.endswith("(seen in 2 exchanges)")
    assert "zzzz-secret" not in repr(findings)
    assert merged.request is not None
    assert merged.request["headers"]["Authorization"] == "$INTEROP_HEADER_AUTHORIZATION"


# -- transport --------------------------------------------------------------------------------


def test_send_limits_the_body_and_reports_transport_problems() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/big":
            return httpx.Response(200, content=b"x" * 5000)
        raise httpx.ConnectError("connection refused", request=request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        big = send(
            client,
            SentRequest(method="GET", url="http://h/big", headers=()),
            timeout_s=5,
            max_body_bytes=1000,
        )
        refused = send(
            client,
            SentRequest(method="GET", url="http://h/no", headers=()),
            timeout_s=5,
            max_body_bytes=1000,
        )
    assert big.status == 200 and big.problem is not None and big.problem.kind == "too-large"
    assert len(big.body) == 1000
    assert refused.status is None and refused.problem is not None
    assert refused.problem.kind == "connect"


def test_a_request_the_client_refuses_to_send_is_the_tools_problem_not_the_sandboxs(
    checker: tuple[ResponseChecker, Operation],
) -> None:
    """h11 refuses a malformed framing header before anything leaves: that exchange is
    ``unsendable``, breaks nothing, and gives no finding (it says nothing about the sandbox)."""
    import socket

    check, spec = checker
    with socket.socket() as listener:  # the kernel accepts the connection; nobody answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        request = SentRequest(
            method="POST",
            url=f"http://127.0.0.1:{port}/things",
            headers=(("content-length", ""), ("content-type", "application/json")),
            body=b"{}",
        )
        with httpx.Client() as client:
            exchange = send(client, request, timeout_s=5, max_body_bytes=1000)
    assert exchange.problem is not None and exchange.problem.kind == "unsendable"
    assert "content-length" in exchange.problem.detail.lower()
    assert not exchange.problem.breaks_the_exchange
    assert check.check(spec, exchange) == []


def test_generated_framing_headers_are_left_to_the_http_client() -> None:
    """A generated ``Content-Length``, ``Transfer-Encoding`` or ``Host`` (negative data adds
    arbitrary headers) is dropped: the client computes them from the request it sends."""
    from types import SimpleNamespace

    from interop.harness.verify.generation import build_request

    generated = {
        "Content-Length": "",
        "Transfer-Encoding": "gzip",
        "Host": "elsewhere.example",
        "X-Kept": "1",
    }
    case = SimpleNamespace(
        as_transport_kwargs=lambda base_url: {
            "method": "POST",
            "url": f"{base_url}/things",
            "headers": generated,
            "json": {"a": 1},
        }
    )
    request = build_request(case, "http://sandbox.test", [])
    assert request is not None
    sent = {name.lower(): value for name, value in request.headers}
    assert sent["content-length"] == str(len(request.body or b""))
    assert sent["host"] == "sandbox.test"
    assert "transfer-encoding" not in sent and sent["x-kept"] == "1"


# -- links and wire values --------------------------------------------------------------------


def test_link_expressions_are_evaluated_against_request_and_response() -> None:
    from types import SimpleNamespace

    from interop.harness.verify.links import link_values

    request = SentRequest(method="POST", url="http://h/things", headers=())
    exchange = Exchange(
        request=request,
        status=201,
        headers=(("Location", "/things/7"),),
        body=b'{"id": "t7", "owner": {"id": 3}}',
    )
    case = SimpleNamespace(
        path_parameters={"org": "o1"}, query={}, headers={}, cookies={}, body={"name": "x"}
    )

    def link(**parameters: object) -> Link:
        return Link(
            pointer="/l",
            name="l",
            operation_id="get",
            operation_ref=None,
            parameters=tuple(parameters.items()),
        )

    everything = link(
        id="$response.body#/id",
        owner="$response.body#/owner/id",
        where="$response.header.Location",
        name="$request.body#/name",
        fixed=42,
        **{"path.org": "$request.path.org"},
    )
    assert link_values(everything, case, exchange) == {
        "id": "t7",
        "owner": 3,
        "where": "/things/7",
        "name": "x",
        "fixed": 42,
        "path.org": "o1",
    }
    assert link_values(link(id="$response.body#/missing"), case, exchange) is None
    assert link_values(link(), case, exchange) == {}


def test_a_value_is_valid_on_the_wire_if_some_reading_of_it_is() -> None:
    from interop.harness.verify.checks import _readings

    assert ["a", "b"] in _readings(["a,b"])
    assert 5 in _readings(["5"]) and [1, 2] in _readings(["1", "2"])
    assert True in _readings(["true"])
    assert not any(isinstance(r, int) for r in _readings(["abc"]))
    assert not any(isinstance(r, float) for r in _readings(["nan"]))
    assert [] in _readings([""])  # ``name=`` is how an empty array is sent


def test_equally_specific_templates_match_the_same_url() -> None:
    from interop.harness.verify.traffic import _template_matches

    assert _template_matches("/Files/{FileName}", "/Files/0")
    assert _template_matches("/Files/{AttachmentID}", "/Files/0")
    assert _template_matches("/a({id})", "/a(x%2Cy)")
    assert not _template_matches("/Files/{id}/Content", "/Files/0")
    assert not _template_matches("/Files/{id}", "/Files/0/Content")


def test_content_type_accept_and_authorization_header_parameters_are_ignored() -> None:
    from types import SimpleNamespace

    from interop.harness.verify.generation import effective_mutations

    def mutation(location: str, parameter: str, keywords: tuple[str, ...]) -> object:
        return SimpleNamespace(
            parameter_location=SimpleNamespace(value=location),
            parameter=parameter,
            keywords=keywords,
        )

    data = SimpleNamespace(
        mutations=[
            mutation("header", "Content-Type", ("required",)),
            mutation("header", "Accept", ("enum",)),
            mutation("header", "If-Match", ("required",)),
        ]
    )
    case = SimpleNamespace(meta=SimpleNamespace(phase=SimpleNamespace(data=data)))
    kept = effective_mutations(case, frozenset())
    assert [(m.location, m.parameter) for m in kept] == [("header", "If-Match")]


def test_multipart_scalars_are_sent_as_text() -> None:
    from interop.harness.verify.generation import _multipart_files

    files = _multipart_files([("amount", (None, 1000000)), ("flag", (None, True)), ("f", b"x")])
    request = httpx.Request("POST", "http://x/", files=files)
    body = request.read()
    assert b"1000000" in body and b"true" in body


def test_every_verify_rule_is_registered_and_documented() -> None:
    import re
    from pathlib import Path

    from interop.harness.rules import RULES

    doc = Path(__file__).resolve().parents[3] / "docs" / "verify.md"
    documented = set(re.findall(r"`(verify\.[a-z-]+)`", doc.read_text(encoding="utf-8")))
    registered = {rule_id for rule_id in RULES if rule_id.startswith("verify.")}
    assert documented == registered


def test_an_undeclared_404_for_a_made_up_id_is_not_a_finding() -> None:
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    contract = load_document(document)
    check, spec = ResponseChecker(contract), contract_model(contract).operations[0]
    missing = _exchange(404, b"", {})
    assert check.check(spec, missing, made_up_ids=True) == []
    # An id read from an earlier answer (a link) must be found: there the 404 is a finding.
    assert [o.rule for o in check.check(spec, missing)] == ["verify.status-code"]
    assert [o.rule for o in check.check(spec, _exchange(400, b"", {}), made_up_ids=True)] == [
        "verify.status-code"
    ]
