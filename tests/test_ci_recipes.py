"""The CI recipes in docs/ci.md, executed: each shell step in order, with the platform's rules.

GitHub Actions: a failing step fails the job and skips later steps unless their ``if:`` says
``always()``; ``${{ secrets.X }}``, ``${{ vars.X }}`` and ``${{ matrix.k }}`` are substituted
(a secret reaches a step only through its ``env:`` mapping); a matrix job runs once per value,
each in a fresh checkout; ``actions/upload-artifact``/``download-artifact`` move files between
jobs, ``mikepenz/action-junit-report`` must find JUnit files that parse. GitLab CI: a job's
``script`` lines run in one shell and stop at the first failure; ``parallel: N`` runs N
instances with ``CI_NODE_INDEX``/``CI_NODE_TOTAL``; ``when: always`` runs a job after failed
``needs``; artifacts are kept on failure only under ``artifacts: when: always``; CI/CD
variables are in the job's environment.

The programme recipes run in a temporary programme repository whose config names a central
catalogue in a second git repository (``file://``), against the interop installed in this
environment (``pip install interop-harness`` is a stand-in that installs nothing: no network);
the sandbox is ``interop mock serve`` of the central cluster, accepting only the CI secret's
token. Each runs with compatible contracts (green) and with an incompatibility (red).
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GIT = shutil.which("git")
BASH = shutil.which("bash") or "/bin/bash"
TOKEN = "s3cret-token-from-ci"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(GIT is None, reason="git is not installed"),
]

SECURITY = """\
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
security: [{bearer: []}]
"""
CLUSTER = (
    """\
openapi: 3.0.3
info: {title: Synergy, version: 1.0.0}
paths:
  /workers:
    get:
      operationId: listWorkers
      responses:
        '200':
          description: the workers
          content:
            application/json:
              schema:
                type: object
                properties: {count: {type: integer}}
                required: [count]
"""
    + SECURITY
)
# Reads `total`, which Synergy never promises: an incompatibility.
INCOMPATIBLE = CLUSTER.replace("required: [count]", "required: [count, total]").replace(
    "properties: {count: {type: integer}}",
    "properties: {count: {type: integer}, total: {type: integer}}",
)
INDEX = """\
schema_version: 1
environments: [sandbox]
clusters:
  synergy:
    name: Synergy
    dialect: Oracle-style
    lead_department: DWP
    versions: {1.0.0: clusters/synergy/1.0.0.yaml}
    current: 1.0.0
programmes:
  payroll-hub: programmes/payroll-hub
  ledger: programmes/ledger
"""
SIDECAR = """\
name: {name}
department: Cabinet Office
description: {name}, integrating with Synergy.
criticality: high
version: 1.0.0
integrations: {{synergy: synergy.yaml}}
"""


# --- the recipes as written -------------------------------------------------------------------


def _recipes() -> dict[str, dict[Any, Any]]:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"^```yaml\n(.*?)^```$", text, re.M | re.S)]
    found: dict[str, dict[Any, Any]] = {}
    for block in blocks:
        platform = "github" if "jobs" in block else "gitlab"
        kind = "sharded" if "--shard" in yaml.safe_dump(block) else "programme"
        found[f"{platform}-{kind}"] = block
    assert sorted(found) == [
        "github-programme",
        "github-sharded",
        "gitlab-programme",
        "gitlab-sharded",
    ], sorted(found)
    return found


RECIPES = _recipes()


# --- the world the recipes run in ---------------------------------------------------------------


def _git(*args: str, cwd: Path) -> None:
    assert GIT is not None
    subprocess.run(
        [GIT, "-c", "user.name=ci", "-c", "user.email=ci@example.org", *args],
        cwd=cwd, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _central(where: Path, *, compatible: bool) -> Path:
    repo = where / "central"
    _write(repo / "contracts" / "catalogue.yaml", INDEX)
    _write(repo / "contracts" / "clusters" / "synergy" / "1.0.0.yaml", CLUSTER)
    for pid, contract in (
        ("payroll-hub", CLUSTER),
        ("ledger", CLUSTER if compatible else INCOMPATIBLE),
    ):
        folder = repo / "contracts" / "programmes" / pid
        _write(folder / "programme.yaml", SIDECAR.format(name=pid))
        _write(folder / "synergy.yaml", contract)
    _git("init", "--quiet", "-b", "main", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "--quiet", "-m", "central catalogue", cwd=repo)
    return repo


def _programme(where: Path, central: Path, *, compatible: bool) -> Path:
    repo = where / "ats"
    _write(
        repo / "interop.toml",
        f'programme = "ats"\ncontracts = "contracts"\n'
        f'catalogue = {{git = "{central.as_uri()}", ref = "main", path = "contracts"}}\n',
    )
    _write(repo / "contracts" / "programme.yaml", SIDECAR.format(name="Applicant tracking"))
    _write(repo / "contracts" / "synergy.yaml", CLUSTER if compatible else INCOMPATIBLE)
    _git("init", "--quiet", "-b", "main", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "--quiet", "-m", "ats", cwd=repo)
    return repo


def _environment(tmp_path: Path) -> dict[str, str]:
    stand_ins = tmp_path / "ci-bin"
    stand_ins.mkdir(exist_ok=True)
    pip = stand_ins / "pip"
    # interop is already installed here; anything else asked of pip is a recipe bug.
    pip.write_text(
        '#!/bin/sh\n[ "$*" = "install interop-harness" ] && exit 0\n'
        'echo "pip stand-in: unexpected: $*" >&2; exit 1\n'
    )
    pip.chmod(0o755)
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTEROP_", "GITHUB_", "GITLAB_", "CI_")) and k != "VIRTUAL_ENV"
    }
    environment.update(
        PATH=os.pathsep.join([str(stand_ins), str(BIN), os.environ.get("PATH", "")]),
        XDG_CACHE_HOME=str(tmp_path / "runner-cache"),
        XDG_DATA_HOME=str(tmp_path / "runner-data"),
        CI="true",
    )
    return environment


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _sandbox(central: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """Synergy's sandbox: its mock over HTTP, accepting only the CI secret's bearer token."""
    port = _free_port()
    with log.open("w") as sink:
        server = subprocess.Popen(
            [str(BIN / "interop"), "mock", "serve", "--cluster", "synergy", "--catalogue",
             str(central / "contracts"), "--port", str(port), "--token", TOKEN],
            env=env, stdout=sink, stderr=sink,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    break
                assert server.poll() is None, log.read_text()
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)


# --- the platforms ------------------------------------------------------------------------------


@dataclass
class Job:
    name: str
    failed: bool = False
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    junit: list[Path] = field(default_factory=list)
    artifacts: list[Path] = field(default_factory=list)
    workspace: Path = Path()
    log: str = ""


def _shell(script: str, cwd: Path, env: dict[str, str], flags: str) -> tuple[int, str]:
    done = subprocess.run(
        [BASH, flags, "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    return done.returncode, f"$ {script}\n{done.stdout}{done.stderr}"


def _glob(root: Path, pattern: str) -> list[Path]:
    pattern = pattern.strip().rstrip("/")
    if not pattern:
        return []
    direct = root / pattern
    if direct.is_dir():
        return sorted(p for p in direct.rglob("*") if p.is_file())
    return sorted(p for p in root.glob(pattern) if p.is_file())


def _junit(files: list[Path]) -> list[Path]:
    for path in files:
        assert ET.parse(path).getroot().tag in ("testsuites", "testsuite"), path
    return files


_EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def _github_value(text: str, context: dict[str, dict[str, str]]) -> str:
    def value(match: re.Match[str]) -> str:
        scope, _, name = match.group(1).partition(".")
        assert scope in context, f"unsupported expression {match.group(0)}"
        return context[scope].get(name, "")  # an unknown secret or variable is empty

    return _EXPRESSION.sub(value, text)


def _github_if(condition: object, failed: bool) -> bool:
    text = str(condition if condition is not None else "success()").strip()
    text = text.removeprefix("${{").removesuffix("}}").strip()
    rules = {"always()": True, "success()": not failed, "failure()": failed}
    assert text in rules, f"unsupported if: {text}"
    return rules[text]


def run_github(
    workflow: dict[Any, Any],
    repo: Path,
    work: Path,
    env: dict[str, str],
    secrets: dict[str, str],
    variables: dict[str, str],
) -> dict[str, list[Job]]:
    artifacts: dict[str, Path] = {}
    outcomes: dict[str, list[Job]] = {}
    for job_name, job in workflow["jobs"].items():  # needs: only ever on an earlier job here
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        needed_failed = any(j.failed for n in needs for j in outcomes[n])
        if needed_failed and not _github_if(job.get("if"), True):
            outcomes[job_name] = []
            continue
        matrix = job.get("strategy", {}).get("matrix", {})
        combos = [{}] if not matrix else [{k: str(v)} for k, vs in matrix.items() for v in vs]
        outcomes[job_name] = []
        for index, combo in enumerate(combos):
            workspace = work / f"{job_name}-{index}"
            shutil.copytree(repo, workspace)  # actions/checkout
            outcome = Job(name=job_name, workspace=workspace)
            context = {"secrets": secrets, "vars": variables, "matrix": combo}
            for number, step in enumerate(job["steps"]):
                label = step.get("run") or step.get("uses") or str(number)
                if not _github_if(step.get("if"), outcome.failed):
                    outcome.skipped.append(label)
                    continue
                outcome.ran.append(label)
                if "run" in step:
                    step_env = {
                        k: _github_value(str(v), context) for k, v in step.get("env", {}).items()
                    }
                    code, log = _shell(
                        _github_value(step["run"], context), workspace, {**env, **step_env}, "-e"
                    )
                    outcome.log += log
                    outcome.failed |= code != 0
                    continue
                action, given = step["uses"].split("@")[0], step.get("with", {})
                given = {k: _github_value(str(v), context) for k, v in given.items()}
                if action in ("actions/checkout", "actions/setup-python"):
                    continue
                if action == "actions/upload-artifact":
                    files = [f for p in given["path"].split("\n") for f in _glob(workspace, p)]
                    store = artifacts.setdefault(given["name"], work / "artifacts" / given["name"])
                    for path in files:
                        target = store / path.relative_to(workspace)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(path, target)
                    outcome.artifacts += files
                elif action == "actions/download-artifact":
                    for name, store in artifacts.items():
                        if fnmatch.fnmatch(name, given["pattern"]):
                            shutil.copytree(store, workspace, dirs_exist_ok=True)
                elif action == "mikepenz/action-junit-report":
                    outcome.junit += _junit(_glob(workspace, given["report_paths"]))
                else:
                    raise AssertionError(f"no stand-in for the action {action}")
            outcomes[job_name].append(outcome)
    return outcomes


def run_gitlab(
    pipeline: dict[Any, Any], repo: Path, work: Path, env: dict[str, str], variables: dict[str, str]
) -> dict[str, list[Job]]:
    outcomes: dict[str, list[Job]] = {}
    for job_name, job in pipeline.items():  # needs: only ever on an earlier job here
        needs = job.get("needs", [])
        needed = [j for n in needs for j in outcomes[n]]
        if any(j.failed for j in needed) and job.get("when", "on_success") != "always":
            outcomes[job_name] = []
            continue
        total = int(job.get("parallel", 1))
        outcomes[job_name] = []
        for node in range(1, total + 1):
            workspace = work / f"{job_name.replace(':', '-')}-{node}"
            shutil.copytree(repo, workspace)
            for earlier in needed:  # artifacts of the jobs it needs
                for path in earlier.artifacts:
                    target = workspace / path.relative_to(earlier.workspace)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, target)
            node_env = {**env, **variables}
            if "parallel" in job:
                node_env.update(CI_NODE_INDEX=str(node), CI_NODE_TOTAL=str(total))
            outcome = Job(name=job_name, workspace=workspace)
            # The runner's shell: every line in one bash, stopping at the first that fails.
            script = "set -eo pipefail\n" + "\n".join(job["script"])
            code, outcome.log = _shell(script, workspace, node_env, "-e")
            outcome.failed = code != 0
            outcome.ran = list(job["script"])
            kept = job.get("artifacts", {})
            if kept.get("when", "on_success") == "always" or not outcome.failed:
                outcome.artifacts = [f for p in kept.get("paths", []) for f in _glob(workspace, p)]
                junit = kept.get("reports", {}).get("junit", [])
                junit = [junit] if isinstance(junit, str) else junit
                outcome.junit = _junit([f for p in junit for f in _glob(workspace, p)])
            outcomes[job_name].append(outcome)
    return outcomes


# --- the recipes, executed ---------------------------------------------------------------------


def _names(paths: list[Path], root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in paths}


SANDBOX_JUNIT = "reports/synergy-sandbox/interop-conform.junit.xml"
PROGRAMME_JUNIT = {
    "reports/interop-check.junit.xml",
    "reports/interop-conform.junit.xml",
    SANDBOX_JUNIT,
}


def _assert_the_sandbox_got_the_secret(log: Path) -> None:
    requests = [line for line in log.read_text().splitlines() if line.startswith("GET ")]
    assert requests, "the sandbox step sent nothing"
    refused = [line for line in requests if " 401 " in line]
    assert refused == [], "the token did not reach the sandbox (secret not mapped?)"


@pytest.mark.parametrize("compatible", [True, False], ids=["green", "red"])
def test_github_programme_recipe(tmp_path: Path, compatible: bool):
    env = _environment(tmp_path)
    central = _central(tmp_path, compatible=True)
    repo = _programme(tmp_path, central, compatible=compatible)
    with _sandbox(central, env, tmp_path / "sandbox.log") as url:
        outcomes = run_github(
            RECIPES["github-programme"], repo, tmp_path / "runner", env,
            secrets={"SYNERGY_TOKEN": TOKEN}, variables={"SYNERGY_SANDBOX_URL": url},
        )  # fmt: skip
    (job,) = outcomes["interop"]
    assert job.failed is not compatible, job.log
    assert not job.skipped, f"{job.skipped} did not run\n{job.log}"
    assert sum("interop conform" in step for step in job.ran) == 2, "conform ran"
    assert _names(job.junit, job.workspace) >= PROGRAMME_JUNIT, job.log
    uploaded = _names(job.artifacts, job.workspace)
    assert uploaded >= PROGRAMME_JUNIT | {"reports/interop-check.html"}
    assert "interop: error" not in job.log, job.log  # no usage error or bad input on the way
    _assert_the_sandbox_got_the_secret(tmp_path / "sandbox.log")
    assert TOKEN not in "".join(p.read_text() for p in job.artifacts), "the secret leaked"


@pytest.mark.parametrize("compatible", [True, False], ids=["green", "red"])
def test_gitlab_programme_recipe(tmp_path: Path, compatible: bool):
    env = _environment(tmp_path)
    central = _central(tmp_path, compatible=True)
    repo = _programme(tmp_path, central, compatible=compatible)
    with _sandbox(central, env, tmp_path / "sandbox.log") as url:
        outcomes = run_gitlab(
            RECIPES["gitlab-programme"], repo, tmp_path / "runner", env,
            variables={"SYNERGY_TOKEN": TOKEN, "SYNERGY_SANDBOX_URL": url},
        )  # fmt: skip
    (job,) = outcomes["interop"]
    assert job.failed is not compatible, job.log
    assert _names(job.junit, job.workspace) >= PROGRAMME_JUNIT, job.log
    assert "reports/interop-check.html" in _names(job.artifacts, job.workspace)
    assert "interop: error" not in job.log, job.log
    _assert_the_sandbox_got_the_secret(tmp_path / "sandbox.log")


@pytest.mark.parametrize("compatible", [True, False], ids=["green", "red"])
def test_github_sharded_recipe(tmp_path: Path, compatible: bool):
    env = _environment(tmp_path)
    central = _central(tmp_path, compatible=compatible)
    outcomes = run_github(
        RECIPES["github-sharded"], central, tmp_path / "runner", env, secrets={}, variables={}
    )
    shards = outcomes["shard"]
    assert len(shards) == 3
    assert any(s.failed for s in shards) is not compatible, [s.log for s in shards]
    (report,) = outcomes["report"]
    assert not report.failed and not report.skipped, report.log
    assert _names(report.junit, report.workspace) == {"interop.xml"}
    assert _names(report.artifacts, report.workspace) == {"all.json", "interop.html"}
    merged = (report.workspace / "all.json").read_text()
    assert merged.count('"programme": "ledger"') >= 1 and '"payroll-hub"' in merged


@pytest.mark.parametrize("compatible", [True, False], ids=["green", "red"])
def test_gitlab_sharded_recipe(tmp_path: Path, compatible: bool):
    env = _environment(tmp_path)
    central = _central(tmp_path, compatible=compatible)
    outcomes = run_gitlab(RECIPES["gitlab-sharded"], central, tmp_path / "runner", env, {})
    shards = outcomes["interop:shard"]
    assert len(shards) == 3
    assert any(s.failed for s in shards) is not compatible, [s.log for s in shards]
    assert all(s.artifacts for s in shards), "each shard keeps its result, failed or not"
    (report,) = outcomes["interop:report"]
    assert not report.failed, report.log
    assert _names(report.junit, report.workspace) == {"interop.xml"}
    assert _names(report.artifacts, report.workspace) == {"all.json", "interop.html"}
