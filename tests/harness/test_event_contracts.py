"""A catalogue cluster's event contract: ``clusters/<cluster>/events/<version>.yaml``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interop.adapters.mock import mock_for_cluster
from interop.adapters.mock.publishing import attach_events, cluster_events_contract
from interop.harness.catalogue import load_catalogue
from interop.harness.errors import UsageError
from interop.harness.event_contracts import cluster_events_file

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "tests" / "adapters" / "data" / "events" / "hr-events-3.0.yaml"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "contracts", tmp_path / "contracts")
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    folder = tmp_path / "contracts" / "clusters" / "synergy" / "events"
    folder.mkdir(exist_ok=True)
    for old in folder.glob("*"):
        old.unlink()
    text = EVENTS.read_text().replace("DELETE /workers/{workerId}", "PATCH /workers/{PersonId}")
    (folder / "1.5.0.yaml").write_text(text.replace("version: 1.0.0", "version: 1.5.0", 1))
    return tmp_path / "contracts"


def test_the_current_versions_event_contract_is_found_and_others_are_none(
    catalogue: Path,
) -> None:
    loaded = load_catalogue(catalogue, project=None)
    found = cluster_events_file(loaded, "synergy")
    assert found == catalogue / "clusters" / "synergy" / "events" / "1.5.0.yaml"
    assert cluster_events_file(loaded, "synergy", "1.5.0") == found
    assert cluster_events_file(loaded, "synergy", "1.4.0") is None
    with pytest.raises(UsageError, match=r"has no version '9\.9'"):
        cluster_events_file(loaded, "synergy", "9.9")
    with pytest.raises(UsageError, match="unknown cluster"):
        cluster_events_file(loaded, "nowhere")


def test_a_cluster_mock_emits_its_catalogue_events(catalogue: Path) -> None:
    mock = mock_for_cluster("synergy", catalogue_dir=catalogue)
    contract = cluster_events_contract("synergy", None, catalogue)
    assert contract is not None
    events = attach_events(mock, contract)
    client = mock.client(headers=mock.credentials())
    listed = client.get("/workers", params={"limit": 1}).json()["items"]
    person = listed[0]["PersonId"]
    etag = client.get(f"/workers/{person}").headers["etag"]
    patched = client.patch(
        f"/workers/{person}", json={"SecurityClearanceLevel": "SC"}, headers={"If-Match": etag}
    )
    assert patched.status_code == 200, patched.text
    (event,) = events.emitted
    assert (event.name, event.caused_by) == ("worker.left", "PATCH /workers/{PersonId}")
    # the worker's integer PersonId is the event's string workerId
    assert event.payload["data"]["workerId"] == str(person)


def test_conform_events_takes_the_clusters_event_contract(catalogue: Path, tmp_path: Path) -> None:
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from typer.testing import CliRunner

    from interop.harness.cli import app

    class Accepting(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Accepting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    consumer = EVENTS.parent / "hr-receiver-3.0.yaml"
    args = ["conform", "--events", "--consumer", str(consumer), "--catalogue", str(catalogue)]
    args += ["--base-url", f"http://127.0.0.1:{server.server_address[1]}/", "--max-examples", "5"]
    args += ["--report-dir", str(tmp_path / "reports")]
    try:
        runner = CliRunner()
        done = runner.invoke(app, [*args, "--cluster", "synergy", "--format", "json"])
        assert done.exit_code == 0, done.output
        pair = json.loads(done.stdout)["pairs"][0]
        assert pair["provider"]["file"].endswith("events/1.5.0.yaml")
        assert pair["cluster"] == "synergy"
        none = runner.invoke(app, [*args, "--cluster", "matrix"])
        assert none.exit_code == 2
        assert "cluster 'matrix' publishes no event contract" in none.output
    finally:
        server.shutdown()
        server.server_close()
