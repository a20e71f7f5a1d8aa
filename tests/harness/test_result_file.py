"""The result JSON: shape, round trip, schema, files, and merging shards."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.harness.errors import InteropError, OutputError, UsageError
from interop.harness.policy import DEFAULT_POLICY, Policy
from interop.harness.result_file import (
    ResultFileError,
    dumps_result,
    loads_result,
    merge_results,
    normalise_command,
    normalised,
    read_result,
    result_from_dict,
    write_atomic,
)
from interop.harness.results import (
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    PairStatus,
    QualityScore,
    RunInfo,
    RunResult,
    Severity,
)

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "result.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The result records' strategies are registered by type in tests/harness/conftest.py.
run_results = st.from_type(RunResult)


# --- JSON text round trip and schema --------------------------------------------------------------


@PROPERTY
@given(run_results)
def test_json_round_trip_gives_the_normalised_result_and_matches_the_schema(
    result: RunResult,
) -> None:
    text = dumps_result(result)
    VALIDATOR.validate(json.loads(text))
    assert loads_result(text) == normalised(result)
    assert dumps_result(loads_result(text)) == text


@PROPERTY
@given(run_results, st.randoms(use_true_random=False))
def test_dumps_does_not_depend_on_record_order(result: RunResult, rnd: random.Random) -> None:
    shuffled = dataclasses.replace(
        result,
        pairs=tuple(rnd.sample(result.pairs, len(result.pairs))),
        findings=tuple(rnd.sample(result.findings, len(result.findings))),
        quality=tuple(rnd.sample(result.quality, len(result.quality))),
    )
    assert dumps_result(shuffled) == dumps_result(result)


def _small_result() -> RunResult:
    ref = ContractRef(file="contracts/a.yaml", version="1.0", sha256="ab" * 32)
    return RunResult(
        tool_version="0.1.0",
        run=RunInfo(
            command="interop check", seed=7, started="2026-11-25T17:00:00Z", duration_s=1.5
        ),
        pairs=(
            PairResult(
                programme="ats",
                cluster="unity",
                consumer=ref,
                provider=ref,
                status=PairStatus.INCOMPATIBLE,
                operations=("POST /workers",),
            ),
        ),
        findings=(
            Finding(
                severity=Severity.ERROR,
                rule="request.body.max-length",
                message="Unity limits givenName to 40 characters; ATS may send up to 100.",
                programme="ats",
                cluster="unity",
                operation="POST /workers",
                consumer_location=Location(file="c.yaml", pointer="/paths", line=12),
                counterexample=Counterexample(where="body", value={"givenName": "a" * 41}),
            ),
        ),
    )


def test_document_has_the_design_shape() -> None:
    data = json.loads(dumps_result(_small_result()))
    assert list(data) == ["schema_version", "tool", "run", "pairs", "findings", "quality"]
    assert data["schema_version"] == 1
    assert data["tool"] == {"name": "interop", "version": "0.1.0"}
    finding = data["findings"][0]
    assert finding["consumer_location"] == {"file": "c.yaml", "pointer": "/paths", "line": 12}
    assert finding["provider_location"] is None
    assert finding["counterexample"] == {"in": "body", "value": {"givenName": "a" * 41}}
    assert "request" not in finding  # verify-only evidence is written only when present
    assert data["pairs"][0]["consumer"] == {
        "file": "contracts/a.yaml",
        "version": "1.0",
        "sha256": "ab" * 32,
    }
    VALIDATOR.validate(data)


# --- what a pair's verdict rests on -----------------------------------------------------------


def _conform_result() -> RunResult:
    """``_small_result`` as conform reports it: static and live evidence, a live finding."""
    small = _small_result()
    live = Finding(
        severity=Severity.ERROR,
        rule="conform.response.schema",
        message="Unity answered 200 with a body ATS cannot read.",
        programme="ats",
        cluster="unity",
        operation="GET /workers/{id}",
        evidence="live",
        request={"method": "GET", "url": "http://127.0.0.1:8080/workers/1", "headers": {}},
        response={"status": 200, "body": {"id": 1}},
        reproduction="curl -X GET 'http://127.0.0.1:8080/workers/1'",
    )
    return dataclasses.replace(
        small,
        run=dataclasses.replace(small.run, command="interop conform"),
        pairs=tuple(dataclasses.replace(p, evidence=("static", "live")) for p in small.pairs),
        findings=(*small.findings, live),
    )


def test_pairs_are_written_with_their_evidence() -> None:
    data = json.loads(dumps_result(_small_result()))
    assert data["pairs"][0]["evidence"] == ["static"]
    assert list(data["pairs"][0]) == [
        "programme",
        "cluster",
        "consumer",
        "provider",
        "status",
        "operations",
        "evidence",
    ]
    VALIDATOR.validate(data)

    conform = json.loads(dumps_result(_conform_result()))
    VALIDATOR.validate(conform)
    assert conform["pairs"][0]["evidence"] == ["static", "live"]
    live = next(f for f in conform["findings"] if f["evidence"] == "live")
    assert live["request"]["method"] == "GET"
    assert live["response"] == {"status": 200, "body": {"id": 1}}
    assert live["reproduction"].startswith("curl ")
    assert loads_result(dumps_result(_conform_result())) == normalised(_conform_result())


def test_a_result_written_before_pair_evidence_reads_as_static() -> None:
    data = json.loads(dumps_result(_small_result()))
    for pair in data["pairs"]:
        del pair["evidence"]
    VALIDATOR.validate(data)  # optional in the schema too
    read = result_from_dict(data)
    assert read.pairs[0].evidence == ("static",)
    assert read.pairs[0].static_only
    assert read == normalised(_small_result())
    # and it is written back with the field
    assert json.loads(dumps_result(read))["pairs"][0]["evidence"] == ["static"]


def test_pair_evidence_is_kept_in_its_canonical_order() -> None:
    pair = _small_result().pairs[0]
    assert dataclasses.replace(pair, evidence=("live", "static", "live")).evidence == (
        "static",
        "live",
    )
    assert dataclasses.replace(pair, evidence=("live", "static")) == dataclasses.replace(
        pair, evidence=("static", "live")
    )
    assert not dataclasses.replace(pair, evidence=("static", "live")).static_only
    with pytest.raises(ValueError, match="pair evidence must be one or more of static, live"):
        dataclasses.replace(pair, evidence=())
    with pytest.raises(ValueError, match="pair evidence"):
        dataclasses.replace(pair, evidence=("static", "hearsay"))


def test_a_file_may_list_pair_evidence_in_any_order() -> None:
    data = json.loads(dumps_result(_conform_result()))
    data["pairs"][0]["evidence"] = ["live", "static"]
    assert result_from_dict(data) == normalised(_conform_result())


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (["static", "hearsay"], "pairs[0].evidence[1]: Input should be 'static' or 'live'"),
        ([], "pairs[0].evidence: List should have at least 1 item"),
        (["live", "live"], "pairs[0].evidence: Value error, evidence kinds must not repeat"),
        ("static", "pairs[0].evidence: Input should be a valid list"),
    ],
)
def test_bad_pair_evidence_is_one_line_naming_the_field(evidence: object, expected: str) -> None:
    data = json.loads(dumps_result(_small_result()))
    data["pairs"][0]["evidence"] = evidence
    with pytest.raises(ResultFileError) as info:
        result_from_dict(data, source="r.json")
    assert str(info.value).startswith(f"r.json: not an interop result: {expected}")
    assert "\n" not in str(info.value)
    assert not VALIDATOR.is_valid(data)


def test_merge_of_conform_shards_keeps_evidence_and_rejects_mixed_verdicts() -> None:
    conform = _conform_result()
    assert merge_results([conform, conform]) == normalised(conform)
    assert merge_results([conform, conform]).pairs[0].evidence == ("static", "live")
    # the same pair judged on static evidence alone elsewhere is a different result
    static_only = dataclasses.replace(
        conform,
        pairs=tuple(dataclasses.replace(p, evidence=("static",)) for p in conform.pairs),
    )
    with pytest.raises(UsageError, match="pair ats x unity has different results"):
        merge_results([conform, static_only])


# --- reading bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "bad.json: line 1 column 2: not valid JSON"),
        ("[]", "bad.json: not an interop result: document: Input should be"),
        ('{"schema_version": 2}', "bad.json: schema_version 2 is not supported"),
        (
            '{"schema_version": 1, "tool": {"name": "interop", "version": "1"}, "run": '
            '{"command": "c", "seed": 1, "started": "s", "duration_s": 1}, '
            '"findings": [{"severity": "error", "message": "m"}]}',
            "bad.json: not an interop result: findings[0].rule: Field required",
        ),
        (
            '{"schema_version": 1, "tool": {"name": "interop", "version": "1"}, "run": '
            '{"command": "c", "seed": "1", "started": "s", "duration_s": 1}}',
            "bad.json: not an interop result: run.seed: Input should be a valid integer",
        ),
    ],
)
def test_bad_result_files_give_one_line_naming_the_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ResultFileError) as info:
        read_result(path)
    message = str(info.value).replace(str(tmp_path) + "/", "")
    assert message.startswith(expected)
    assert "\n" not in message
    assert isinstance(info.value, InteropError)


def test_missing_result_file(tmp_path: Path) -> None:
    with pytest.raises(ResultFileError, match=r"nope\.json: no such file"):
        read_result(tmp_path / "nope.json")


def test_read_result_reads_what_dumps_wrote(tmp_path: Path) -> None:
    path = tmp_path / "out" / "result.json"
    write_atomic(path, dumps_result(_small_result()))
    assert read_result(path) == _small_result()


# --- writing ----------------------------------------------------------------------------------


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")
    write_atomic(path, "new ✓\n")
    assert path.read_text(encoding="utf-8") == "new ✓\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary left
    fresh = tmp_path / "new.json"
    write_atomic(fresh, "{}")
    assert fresh.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
    path.chmod(0o600)
    write_atomic(path, "newer")
    assert path.stat().st_mode & 0o777 == 0o600  # the replaced file's mode is kept


def test_write_atomic_unwritable_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match=r"file/out\.json: cannot write"):
        write_atomic(blocker / "out.json", "x")
    directory = tmp_path / "dir"
    directory.mkdir()
    with pytest.raises(OutputError):
        write_atomic(directory, "x")  # a directory cannot be replaced by a file
    assert sorted(p.name for p in directory.iterdir()) == []


# --- merging ----------------------------------------------------------------------------------


def _shards(result: RunResult, count: int, rnd: random.Random) -> list[RunResult]:
    """Split ``result`` as ``--shard K/N`` runs would: each pair (and its findings) in one shard;
    findings about no pair and quality scores computed by every shard."""
    keys = {pair.sort_key() for pair in result.pairs}
    assignment = {key: rnd.randrange(1, count + 1) for key in sorted(keys)}
    shards = []
    for index in range(1, count + 1):
        mine = {key for key in keys if assignment[key] == index}
        shards.append(
            RunResult(
                tool_version=result.tool_version,
                run=dataclasses.replace(
                    result.run,
                    command=f"{result.run.command} --shard {index}/{count} --output=s{index}.json",
                    shard=f"{index}/{count}",
                    started=f"2026-11-25T17:0{rnd.randint(0, 9)}:00+00:00",
                    duration_s=rnd.uniform(0, 100),
                ),
                pairs=tuple(p for p in result.pairs if p.sort_key() in mine),
                findings=tuple(
                    f
                    for f in result.findings
                    if (f.programme, f.cluster) in mine or (f.programme, f.cluster) not in keys
                ),
                quality=tuple(rnd.sample(result.quality, len(result.quality))),
            )
        )
    return shards


@PROPERTY
@given(run_results, st.integers(1, 4), st.randoms(use_true_random=False))
def test_merging_shards_gives_the_unsharded_result(
    result: RunResult, count: int, rnd: random.Random
) -> None:
    shards = _shards(result, count, rnd)
    merged = merge_results(rnd.sample(shards, len(shards)))
    assert merged.run.duration_s == max(s.run.duration_s for s in shards)
    assert merged.run.started == min(s.run.started for s in shards)
    expected = normalised(result)
    timing = {"started": merged.run.started, "duration_s": merged.run.duration_s}
    assert merged == dataclasses.replace(expected, run=dataclasses.replace(result.run, **timing))
    assert dumps_result(merged) == dumps_result(dataclasses.replace(result, run=merged.run))


def test_merge_keeps_a_repeated_pair_once_and_rejects_conflicts() -> None:
    result = _small_result()
    assert merge_results([result, result]) == normalised(result)
    other = dataclasses.replace(result, findings=())
    with pytest.raises(UsageError, match="pair ats x unity has different results"):
        merge_results([result, other])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seed": 8}, "seed differs"),
        ({"max_examples": 5}, "max_examples differs"),
        ({"command": "interop check --cluster unity"}, "command differs"),
    ],
)
def test_merge_rejects_results_of_different_runs(change: dict[str, object], message: str) -> None:
    result = _small_result()
    other = dataclasses.replace(result, run=dataclasses.replace(result.run, **change))
    with pytest.raises(UsageError, match=message):
        merge_results([result, other])


def test_merge_keeps_the_policy_shards_share_and_refuses_mixed_policies() -> None:
    result = _small_result()
    listed = Policy(unhandled_error_statuses=("404", "409"))

    def judged(policy: Policy | None, shard: str | None = None) -> RunResult:
        run = dataclasses.replace(result.run, policy=policy, shard=shard)
        return dataclasses.replace(result, run=run)

    assert merge_results([judged(listed, "1/2"), judged(listed, "2/2")]).run.policy == listed
    with pytest.raises(UsageError) as caught:
        merge_results([judged(listed, "1/2"), judged(DEFAULT_POLICY, "2/2")])
    assert str(caught.value) == (
        "cannot merge results of different runs: judgement policy differs "
        "(unhandled-error-statuses: [404, 409]; unhandled-error-statuses: warn)"
    )
    with pytest.raises(UsageError, match=r"policy differs \(none recorded; .*: ignore\)"):
        merge_results([judged(None), judged(Policy(unhandled_error_statuses="ignore"))])


def test_merge_rejects_incomplete_or_mixed_shards() -> None:
    result = _small_result()

    def shard(label: str | None) -> RunResult:
        return dataclasses.replace(result, run=dataclasses.replace(result.run, shard=label))

    with pytest.raises(UsageError, match="shard 2/3 missing"):
        merge_results([shard("1/3"), shard("3/3")])
    with pytest.raises(UsageError, match="sharded and unsharded"):
        merge_results([shard("1/2"), shard(None)])
    with pytest.raises(UsageError, match="different splits"):
        merge_results([shard("1/2"), shard("1/3")])
    with pytest.raises(UsageError, match="nothing to merge"):
        merge_results([])
    assert merge_results([shard("1/1")]).run.shard is None


def test_merge_rejects_conflicting_quality_scores() -> None:
    score = QualityScore(subject="unity", kind="provider", file="u.yaml", score=80)
    one = dataclasses.replace(_small_result(), quality=(score,))
    two = dataclasses.replace(one, quality=(dataclasses.replace(score, score=81),))
    with pytest.raises(UsageError, match="provider unity has different quality scores"):
        merge_results([one, two])


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("interop check --shard 1/3 --format json", "interop check"),
        ("interop check --shard=2/3 --output=s.json -j 2 -p ats", "interop check -p ats"),
        ("interop check -o 'my out.json' --seed 1 -j4 -fjson", "interop check --seed 1"),
        ("interop check --report-dir r --no-reports --no-cache -c unity", "interop check -c unity"),
        ("interop check --programme 'a b'", "interop check --programme 'a b'"),
        ("unbalanced 'quote", "unbalanced 'quote"),
    ],
)
def test_normalise_command(command: str, expected: str) -> None:
    assert normalise_command(command) == expected


def test_merging_real_shards_of_the_bundled_catalogue_gives_the_unsharded_run() -> None:
    from interop.harness.catalogue import load_catalogue, parse_shard
    from interop.harness.check import check

    catalogue = load_catalogue()
    programmes = tuple(sorted({pair.programme for pair in catalogue.pairs()})[:2])
    command = "interop check " + " ".join(f"--programme {p}" for p in programmes) + " --seed 3"

    def run(shard: str | None) -> RunResult:
        return check(
            catalogue,
            programmes=programmes,
            seed=3,
            max_examples=5,
            shard=parse_shard(shard) if shard else None,
            command=f"{command} --shard {shard} --output s.json" if shard else command,
        )

    unsharded = run(None)
    merged = merge_results([run(f"{k}/3") for k in (3, 1, 2)])
    assert len(unsharded.pairs) > 3
    assert merged.run.command == command
    assert dumps_result(merged) == dumps_result(dataclasses.replace(unsharded, run=merged.run))
