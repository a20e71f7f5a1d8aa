"""A catalogue cluster's event contract: its interface of kind AsyncAPI in the index, at the
version that runs with the REST version asked for (else the interface's current)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from interop.adapters.mock import mock_for_cluster
from interop.adapters.mock.publishing import attach_events, cluster_events_contract
from interop.harness.catalogue import load_catalogue
from interop.harness.codec import policy_to_dict
from interop.harness.errors import UsageError
from interop.harness.event_contracts import cluster_events_file
from interop.harness.policy import DEFAULT_POLICY

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "tests" / "adapters" / "data" / "events" / "hr-events-3.0.yaml"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "contracts", tmp_path / "contracts")
    shutil.copytree(REPO / "fixtures", tmp_path / "fixtures")
    root = tmp_path / "contracts"
    text = EVENTS.read_text().replace("DELETE /workers/{workerId}", "PATCH /workers/{PersonId}")
    index = yaml.safe_load((root / "catalogue.yaml").read_text())
    synergy = index["clusters"]["synergy"]["interfaces"]
    # found by its kind, not its id or path: Synergy's event contract under another name
    synergy["business-events"] = synergy.pop("events")
    synergy["business-events"]["versions"]["1.5.0"] = "elsewhere/synergy-1.5.0.yaml"
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "synergy-1.5.0.yaml").write_text(
        text.replace("version: 1.0.0", "version: 1.5.0", 1)
    )
    del index["clusters"]["matrix"]["interfaces"]  # a cluster that publishes no events
    (root / "catalogue.yaml").write_text(yaml.safe_dump(index, sort_keys=False))
    for folder in (root / "programmes").iterdir():  # nobody subscribes to the renamed ones
        sidecar = folder / "programme.yaml"
        meta = yaml.safe_load(sidecar.read_text())
        for cluster in ("synergy", "matrix"):
            meta.get("interfaces", {}).get(cluster, {}).pop("events", None)
        sidecar.write_text(yaml.safe_dump(meta, sort_keys=False))
    return root


def test_the_current_versions_event_contract_is_found_and_others_are_none(
    catalogue: Path,
) -> None:
    loaded = load_catalogue(catalogue, project=None)
    found = cluster_events_file(loaded, "synergy")
    assert found == catalogue / "elsewhere" / "synergy-1.5.0.yaml"
    assert cluster_events_file(loaded, "synergy", "1.5.0") == found
    older = cluster_events_file(loaded, "synergy", "1.4.0")
    assert older == catalogue / "clusters" / "synergy" / "events" / "1.4.0.yaml"
    # Defence also has a JSON Schema interface (payroll-costing): never taken for events
    assert cluster_events_file(loaded, "defence", "1.0.0") == (
        catalogue / "clusters" / "defence" / "events" / "1.0.0.yaml"
    )
    assert cluster_events_file(loaded, "matrix") is None
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
        assert pair["provider"]["file"].endswith("elsewhere/synergy-1.5.0.yaml")
        assert pair["cluster"] == "synergy"
        # the result names the catalogue's interface (renamed above), as check would
        assert pair["interface"] == "business-events"
        # and says which judgement policy the static verdict was reached under: the catalogue's
        listed = load_catalogue(catalogue, project=None).policy
        assert listed != DEFAULT_POLICY
        assert json.loads(done.stdout)["run"]["policy"] == policy_to_dict(listed)
        none = runner.invoke(app, [*args, "--cluster", "matrix"])
        assert none.exit_code == 2
        assert "cluster 'matrix' publishes no event contract" in none.output
    finally:
        server.shutdown()
        server.server_close()


def test_an_event_id_is_written_as_its_field_writes_ids() -> None:
    """Matrix's Workday-style messages take a 32-hex Workday ID as Event_ID: each event's own id
    in that form (not a dashed UUID the repair step would swap for a generated one), and the
    id the event is logged under is the one it carries."""
    import re

    from interop.adapters.mock.generate import instance_for

    root = REPO / "contracts"
    mock = mock_for_cluster("matrix", catalogue_dir=root)
    contract = cluster_events_contract("matrix", None, root)
    assert contract is not None
    events = attach_events(mock, contract)
    client = mock.client(headers=mock.credentials())
    hire = next(op for op in mock.operations if op.template.endswith("/hire"))
    shape = next(s for m, s in hire.body.media if "json" in m and s is not None)
    for seed in (1, 2):
        ok, body = instance_for(shape.schema, shape.is_valid, seed=seed)
        assert ok
        answer = client.post(f"/staffing/v1/acme/jobRequisitions/{'ab' * 16}/hire", json=body)
        assert answer.status_code == 201, answer.text
    ids = [event.payload["Event_ID"] for event in events.emitted]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) and i != "0" * 32 for i in ids)
    assert [event.id for event in events.emitted] == ids
