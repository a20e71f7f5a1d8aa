"""End to end, through the CLI: a cluster publishes a new version of its events interface.

A temporary catalogue: the cluster ``unity`` with an ``events`` interface (AsyncAPI 3.0), two
programmes subscribing to it, one strict (it accepts only the statuses it knows) and one
lenient. The new version widens the status enum: ``impact`` names the strict programme,
``publish`` refuses, then accepts with a reason and adds the version to the index.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from interop.harness.catalogue import load_catalogue
from interop.harness.cli.app import app
from interop.harness.errors import UsageError
from interop.harness.impact import impact_file
from interop.harness.publish import add_interface_version_to_index

from .interface_docs import PAYLOAD, asyncapi30, record_schema, webhook_doc, write

API = Path(__file__).resolve().parents[2] / "cases" / "operation.missing" / "pass"
WIDE = copy.deepcopy(PAYLOAD)
WIDE["properties"]["status"]["enum"].append("suspended")
LENIENT = copy.deepcopy(PAYLOAD)
LENIENT["properties"]["status"] = {"type": "string"}


def _programme(root: Path, pid: str, payload: Any, interfaces: dict[str, Any]) -> None:
    folder = root / "programmes" / pid
    folder.mkdir(parents=True)
    shutil.copy(API / "consumer.yaml", folder / "unity.yaml")
    write(folder / "unity-events.yaml", asyncapi30(action="receive", payload=payload))
    sidecar = {
        "name": pid.upper(),
        "department": "HMRC",
        "description": "A programme.",
        "criticality": "high",
        "go_live": "2027-04-01",
        "contact": f"{pid}@example.gov.uk",
        "integrations": {"unity": "unity.yaml"},
        "interfaces": interfaces,
    }
    (folder / "programme.yaml").write_text(yaml.safe_dump(sidecar), encoding="utf-8")


def _catalogue(tmp_path: Path, *, files: bool = False) -> Path:
    root = tmp_path / "contracts"
    (root / "clusters" / "unity" / "events").mkdir(parents=True)
    shutil.copy(API / "provider.yaml", root / "clusters" / "unity" / "1.0.0.yaml")
    write(root / "clusters" / "unity" / "events" / "1.0.0.yaml", asyncapi30())
    interfaces: dict[str, Any] = {
        "events": {
            "description": "business events",
            "versions": {"1.0.0": "clusters/unity/events/1.0.0.yaml"},
            "current": "1.0.0",
        }
    }
    if files:
        write(root / "clusters" / "unity" / "costing" / "1.0.0.json", record_schema())
        interfaces["costing"] = {
            "versions": {"1.0.0": "clusters/unity/costing/1.0.0.json"},
            "current": "1.0.0",
        }
    index = {
        "schema_version": 1,
        "clusters": {
            "unity": {
                "name": "Unity",
                "dialect": "SAP-style",
                "lead_department": "HMRC",
                "versions": {"1.0.0": "clusters/unity/1.0.0.yaml"},
                "current": "1.0.0",
                "interfaces": interfaces,
            }
        },
        "programmes": {"strict": "programmes/strict", "lenient": "programmes/lenient"},
    }
    (root / "catalogue.yaml").write_text(
        "# the index\n" + yaml.safe_dump(index, sort_keys=False), encoding="utf-8"
    )
    subscribed = {"unity": {"events": "unity-events.yaml"}}
    _programme(root, "strict", PAYLOAD, subscribed)
    _programme(root, "lenient", LENIENT, subscribed)
    return root


def _run(*args: str | Path) -> Any:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_impact_names_the_subscriber_the_new_event_version_breaks(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    new = write(tmp_path / "2.0.0.yaml", asyncapi30(payload=WIDE, version="2.0.0"))
    result = _run("impact", "--catalogue", root, "--cluster", "unity", "--new", new, "-f", "json")
    assert result.exit_code == 1, result.output
    notice_json = json.loads(result.stdout)
    verdicts = {p["programme"]: p["verdict"] for p in notice_json["pairs"]}
    assert verdicts == {"strict": "breaks", "lenient": "unaffected"}
    assert notice_json["interface"] == "events"
    # every rendering says which interface changes, not only which cluster
    for fmt in ("text", "markdown"):
        shown = _run("impact", "--catalogue", root, "--cluster", "unity", "--new", new, "-f", fmt)
        assert "interface events" in shown.stdout.splitlines()[0], shown.stdout

    # the library form: the strict programme's finding and the diff change that causes it
    notice = impact_file(load_catalogue(root, project=None), "unity", new)
    (broken,) = notice.broken
    assert notice.interface == "events"
    assert {f.rule for f in broken.findings} == {"event.message.not-accepted"}
    assert [c.rule for c in broken.causes] == ["event.payload.widened"]


def test_impact_of_a_compatible_event_version_exits_0(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    narrower = copy.deepcopy(PAYLOAD)
    narrower["properties"]["workerId"]["maxLength"] = 10
    new = write(tmp_path / "1.1.0.yaml", asyncapi30(payload=narrower, version="1.1.0"))
    result = _run("impact", "--catalogue", root, "--cluster", "unity", "--new", new)
    assert result.exit_code == 0, result.output


def test_impact_names_the_subscriber_a_new_event_version_fixes(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    # the published version already sends `suspended`, which the strict programme refuses
    write(root / "clusters" / "unity" / "events" / "1.0.0.yaml", asyncapi30(payload=WIDE))
    new = write(tmp_path / "1.1.0.yaml", asyncapi30(version="1.1.0"))
    notice = impact_file(load_catalogue(root, project=None), "unity", new)
    assert {p.programme: p.verdict for p in notice.pairs} == {
        "strict": "fixed",
        "lenient": "unaffected",
    }
    assert notice.exit_code == 0
    assert [c.rule for c in notice.diff.changes] == ["event.payload.narrowed"]


def test_publish_refuses_then_accepts_with_a_reason(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    new = write(tmp_path / "2.0.0.yaml", asyncapi30(payload=WIDE, version="2.0.0"))
    refused = _run("publish", new, "--cluster", "unity", "--catalogue", root)
    assert refused.exit_code == 1, refused.output
    assert "strict" in refused.output and "--accept-breaking" in refused.output
    assert refused.output.startswith("Refused: unity interface events 2.0.0 was not published.")
    assert "2.0.0" not in (root / "catalogue.yaml").read_text(encoding="utf-8")
    assert not (root / "clusters" / "unity" / "events" / "2.0.0.yaml").exists()

    done = _run(
        "publish", new, "--cluster", "unity", "--catalogue", root,
        "--accept-breaking", "strict agreed to read the new status by May",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.startswith("Published unity interface events 2.0.0.")
    events = load_catalogue(root, project=None).clusters["unity"].interfaces["events"]
    assert events.current == "2.0.0"
    assert events.file_for().read_text(encoding="utf-8") == new.read_text(encoding="utf-8")
    text = (root / "catalogue.yaml").read_text(encoding="utf-8")
    assert text.startswith("# the index\n")  # edited as text: comments kept
    record = yaml.safe_load(
        (root / "clusters" / "unity" / "events" / "2.0.0.accepted.yaml").read_text()
    )
    assert record["accepted_breaking"].startswith("strict agreed")
    assert [b["programme"] for b in record["breaks"]] == ["strict"]
    # the API's own versions are untouched
    assert load_catalogue(root, project=None).clusters["unity"].current == "1.0.0"


def test_publish_refuses_a_breaking_event_change_without_a_major_bump(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    new = write(tmp_path / "1.1.0.yaml", asyncapi30(payload=WIDE, version="1.1.0"))
    result = _run(
        "publish", new, "--cluster", "unity", "--catalogue", root, "--accept-breaking", "ok"
    )
    assert result.exit_code == 1
    assert "event.payload.widened" in result.output and "major" in result.output


def test_a_compatible_json_schema_version_is_published_with_its_version(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, files=True)
    narrower = copy.deepcopy(PAYLOAD)
    narrower["properties"]["workerId"]["maxLength"] = 10
    new = write(tmp_path / "costing.json", record_schema(narrower))
    # two interfaces: the JSON Schema one is inferred from the kind
    missing = _run("publish", new, "--cluster", "unity", "--catalogue", root)
    assert missing.exit_code == 1 and "--version" in missing.output
    done = _run("publish", new, "--cluster", "unity", "--catalogue", root, "--version", "1.1.0")
    assert done.exit_code == 0, done.output
    costing = load_catalogue(root, project=None).clusters["unity"].interfaces["costing"]
    assert costing.current == "1.1.0"
    assert costing.file_for().name == "1.1.0.json"


def test_the_interface_must_be_named_when_the_kind_does_not_decide(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    index = yaml.safe_load((root / "catalogue.yaml").read_text())
    index["clusters"]["unity"]["interfaces"]["outbound"] = index["clusters"]["unity"]["interfaces"][
        "events"
    ]
    (root / "catalogue.yaml").write_text(yaml.safe_dump(index))
    new = write(tmp_path / "2.0.0.yaml", asyncapi30(version="2.0.0"))
    result = _run("impact", "--catalogue", root, "--cluster", "unity", "--new", new)
    assert result.exit_code == 2
    assert "events, outbound" in result.output and "--interface" in result.output
    named = _run(
        "impact", "--catalogue", root, "--cluster", "unity", "--new", new,
        "--interface", "events",
    )  # fmt: skip
    assert named.exit_code == 0, named.output
    unknown = _run(
        "impact", "--catalogue", root, "--cluster", "unity", "--new", new, "--interface", "x"
    )
    assert unknown.exit_code == 2 and "no interface 'x'" in unknown.output


def test_an_interface_kind_the_cluster_does_not_publish_is_a_usage_error(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    new = write(tmp_path / "costing.json", record_schema())
    with pytest.raises(UsageError, match="no JSON Schema interface"):
        impact_file(load_catalogue(root, project=None), "unity", new)


def test_interface_versions_are_added_to_the_index_as_text() -> None:
    text = (
        "schema_version: 1\n"
        "clusters:\n"
        "  unity:\n"
        "    versions:\n"
        "      1.0.0: clusters/unity/1.0.0.yaml\n"
        "    current: 1.0.0\n"
        "    interfaces:\n"
        "      events:  # the mesh\n"
        "        versions:\n"
        "          1.0.0: clusters/unity/events/1.0.0.yaml\n"
        "        current: 1.0.0\n"
    )
    out = add_interface_version_to_index(
        text, "unity", "events", "1.1.0", "clusters/unity/events/1.1.0.yaml"
    )
    data = yaml.safe_load(out)
    assert data["clusters"]["unity"]["current"] == "1.0.0"
    events = data["clusters"]["unity"]["interfaces"]["events"]
    assert events["current"] == "1.1.0"
    assert events["versions"]["1.1.0"] == "clusters/unity/events/1.1.0.yaml"
    assert "# the mesh" in out


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_diff_of_two_event_versions_in_every_format(tmp_path: Path, fmt: str) -> None:
    old = write(tmp_path / "3.0.0.yaml", asyncapi30(version="3.0.0"))
    new = write(tmp_path / "3.1.0.yaml", asyncapi30(payload=WIDE, version="3.1.0"))
    result = _run("diff", old, new, "--format", fmt)
    assert result.exit_code == 1, result.output
    assert "event.payload.widened" in result.stdout
    if fmt == "json":
        (change,) = json.loads(result.stdout)["changes"]
        assert {"rule", "breaking", "side", "operation", "location", "message"} <= set(change)
        assert change["breaking"] is True
        assert change["operation"] == "SEND hr.worker.hired"
        assert change["location"]["new"]["file"].endswith("3.1.0.yaml")


def test_diff_of_a_compatible_record_schema_exits_0(tmp_path: Path) -> None:
    narrower = copy.deepcopy(PAYLOAD)
    narrower["properties"]["workerId"]["maxLength"] = 10
    old = write(tmp_path / "old.json", record_schema())
    new = write(tmp_path / "new.json", record_schema(narrower))
    result = _run("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [c["rule"] for c in json.loads(result.stdout)["changes"]] == ["payload.narrowed"]


def test_diff_of_two_kinds_is_one_line_and_exit_2(tmp_path: Path) -> None:
    old = write(tmp_path / "events.yaml", asyncapi30())
    new = write(tmp_path / "record.json", record_schema())
    result = _run("diff", old, new)
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert "AsyncAPI" in result.output and "JSON Schema" in result.output


@pytest.mark.parametrize("callback", [False, True], ids=["webhook", "callback"])
def test_impact_of_an_api_version_rejudges_its_webhooks_and_callbacks(
    tmp_path: Path, callback: bool
) -> None:
    root = _catalogue(tmp_path)
    write(root / "clusters" / "unity" / "1.0.0.yaml", webhook_doc(callback=callback))
    for pid in ("strict", "lenient"):
        body = PAYLOAD if pid == "strict" else LENIENT
        write(root / "programmes" / pid / "unity.yaml", webhook_doc(callback=callback, body=body))
    new = write(tmp_path / "2.0.0.yaml", webhook_doc(callback=callback, body=WIDE, version="2.0.0"))
    notice = impact_file(load_catalogue(root, project=None), "unity", new)
    assert {p.programme: p.verdict for p in notice.pairs} == {
        "strict": "breaks",
        "lenient": "unaffected",
    }
    (broken,) = notice.broken
    assert [f.rule for f in broken.findings] == ["webhook.body.not-accepted"]
    assert [c.rule for c in broken.causes] == ["webhook.body.widened"]


def test_diff_of_two_catalogue_versions_of_an_interface(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    new = write(tmp_path / "2.0.0.yaml", asyncapi30(payload=WIDE, version="2.0.0"))
    assert (
        _run(
            "publish", new, "--cluster", "unity", "--catalogue", root, "--accept-breaking", "agreed"
        ).exit_code
        == 0
    )
    args = ("diff", "--catalogue", root, "--cluster", "unity", "1.0.0", "2.0.0")
    result = _run(*args, "--interface", "events", "--format", "json")
    assert result.exit_code == 1, result.output
    assert [c["rule"] for c in json.loads(result.stdout)["changes"]] == ["event.payload.widened"]
    unknown = _run(*args, "--interface", "files")
    assert unknown.exit_code == 2 and "no interface 'files'" in unknown.output
    no_version = _run("diff", "--catalogue", root, "--cluster", "unity", "1.0.0", "9.0.0",
                      "--interface", "events")  # fmt: skip
    assert no_version.exit_code == 2 and "no version '9.0.0'" in no_version.output
    assert _run("diff", "a.yaml", "b.yaml", "--interface", "events").exit_code == 2


def test_publish_refuses_a_document_unlike_the_interface_unless_forced(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    other = asyncapi30(version="1.1.0", address="finance.invoice.approved")
    other["info"]["title"] = "Finance events"
    new = write(tmp_path / "1.1.0.yaml", other)
    args = ("publish", new, "--cluster", "unity", "--catalogue", root)
    refused = _run(*args)
    assert refused.exit_code == 1 and "does not look like a version of interface" in refused.output
    # removing the only channel breaks both subscribers, which --force alone does not accept
    forced = _run(*args, "--force", "renamed", "--accept-breaking", "both agreed")
    assert "does not look like" not in forced.output
    assert "major version bump" in forced.output


def test_interface_options_with_an_openapi_document_are_usage_errors(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    api = API / "provider.yaml"
    result = _run("impact", "--catalogue", root, "--cluster", "unity", "--new", api,
                  "--interface", "events")  # fmt: skip
    assert result.exit_code == 2 and "OpenAPI" in result.output
    result = _run("publish", api, "--cluster", "unity", "--catalogue", root, "--version", "9.0.0")
    assert result.exit_code == 2 and "OpenAPI" in result.output
