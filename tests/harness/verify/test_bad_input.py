"""Bad input to verify: one-line errors (exit 2 in the CLI), never a hang, never a secret."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from interop.harness.errors import ContractError, SandboxError, UsageError
from interop.harness.loading import LoadedContract, load_contract
from interop.harness.verify import verify

SECRET = "Bearer very-secret-token-42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _assert_one_line_without_secret(error: BaseException) -> None:
    text = str(error)
    assert "\n" not in text
    assert "very-secret-token-42" not in text and "pa55word" not in text


def test_a_base_url_that_does_not_answer(faulty_contract: LoadedContract) -> None:
    url = f"http://interop:pa55word@127.0.0.1:{_free_port()}"
    with pytest.raises(SandboxError, match="could not be reached") as caught:
        verify(faulty_contract, base_url=url, headers=[("Authorization", SECRET)], timeout_s=2)
    _assert_one_line_without_secret(caught.value)


def test_a_tls_error(faulty_contract: LoadedContract, faulty_url: str) -> None:
    url = faulty_url.replace("http://", "https://")
    with pytest.raises(SandboxError, match="TLS") as caught:
        verify(faulty_contract, base_url=url, headers=[("Authorization", SECRET)], timeout_s=2)
    _assert_one_line_without_secret(caught.value)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        server.close()


def test_a_sandbox_that_never_answers_times_out(
    faulty_contract: LoadedContract, silent_server: str
) -> None:
    with pytest.raises(SandboxError, match="no answer") as caught:
        verify(
            faulty_contract,
            base_url=silent_server,
            headers=[("Authorization", SECRET)],
            timeout_s=0.5,
        )
    _assert_one_line_without_secret(caught.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": "ftp://host"}, "--base-url"),
        ({"base_url": "not a url"}, "--base-url"),
        ({"headers": [("Bad Name", "x")]}, "--header"),
        ({"headers": [("Authorization", "Bearer s3cr3t\x01")]}, "--header Authorization"),
        ({"max_examples": 0}, "--max-examples"),
        ({"workers": 0}, "--workers"),
    ],
)
def test_bad_arguments(
    faulty_contract: LoadedContract, options: dict[str, object], message: str
) -> None:
    arguments: dict[str, object] = {"base_url": "http://127.0.0.1:1", **options}
    with pytest.raises(UsageError, match=message) as caught:
        verify(faulty_contract, **arguments)
    assert "s3cr3t" not in str(caught.value)


def test_a_contract_that_does_not_load(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\npaths: [\n")
    with pytest.raises(ContractError) as caught:
        load_contract(broken)
    assert "\n" not in str(caught.value) and "broken.yaml" in str(caught.value)


def test_a_base_url_without_a_host_is_a_usage_error(faulty_contract: LoadedContract) -> None:
    for url in ("https://:/sap/api", "http://host:notaport/x"):
        with pytest.raises(UsageError, match="--base-url"):
            verify(faulty_contract, base_url=url)


def test_parse_header() -> None:
    from interop.harness.verify import parse_header

    assert parse_header("Authorization: Bearer a:b ") == ("Authorization", "Bearer a:b")
    assert parse_header("X-Empty:") == ("X-Empty", "")
    for bad in ("no colon s3cr3t", ": s3cr3t", "Bad Name: s3cr3t"):
        with pytest.raises(UsageError, match="--header") as caught:
            parse_header(bad)
        assert "s3cr3t" not in str(caught.value)


def test_missing_credentials_are_warned_about(
    faulty_contract: LoadedContract, faulty_url: str
) -> None:
    lines: list[str] = []
    verify(
        faulty_contract,
        base_url=faulty_url,
        max_examples=1,
        timeout_s=0.5,
        max_body_bytes=10_000,
        progress=lines.append,
    )
    assert any("no --header carries them (authorization)" in line for line in lines)
