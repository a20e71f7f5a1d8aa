"""Catalogue discovery for real teams: a central catalogue in one git repository, a programme's
consumer contracts in another, tied by the config ``interop init`` writes; by path and by git."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from interop.harness.cache import default_cache_dir
from interop.harness.database.engine import default_store_path
from interop.harness.project import find_project, state_dir, user_dir

BIN = Path(sys.executable).parent
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

CLUSTER = """\
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
    deployed: {sandbox: 1.0.0}
programmes:
  payroll-hub: programmes/payroll-hub
"""
SIDECAR = """\
name: {name}
department: Cabinet Office
description: {name}, integrating with Synergy.
criticality: high
version: 1.0.0
integrations: {{synergy: synergy.yaml}}
"""
# The programme reads `total`, which Synergy never promises: a real incompatibility.
CONSUMER = CLUSTER.replace("required: [count]", "required: [count, total]").replace(
    "properties: {count: {type: integer}}",
    "properties: {count: {type: integer}, total: {type: integer}}",
)


def _git(*args: str, cwd: Path) -> None:
    assert GIT is not None
    subprocess.run(
        [GIT, "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No store, catalogue or user directories of the machine leak in."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("INTEROP_STORE", "INTEROP_CATALOGUE")
    }
    environment["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")
    environment["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    environment["PATH"] = f"{BIN}{os.pathsep}{environment['PATH']}"
    return environment


@pytest.fixture
def central(tmp_path: Path) -> Path:
    """The central catalogue's repository: one cluster, one programme of its own."""
    repo = tmp_path / "central"
    _write(repo / "contracts" / "catalogue.yaml", INDEX)
    _write(repo / "contracts" / "clusters" / "synergy" / "1.0.0.yaml", CLUSTER)
    programme = repo / "contracts" / "programmes" / "payroll-hub"
    _write(programme / "programme.yaml", SIDECAR.format(name="Payroll hub"))
    _write(programme / "synergy.yaml", CLUSTER)
    _git("init", "--quiet", "-b", "main", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "--quiet", "-m", "the central catalogue", cwd=repo)
    return repo


@pytest.fixture
def programme_repo(tmp_path: Path) -> Path:
    """A programme's own repository, before ``interop init``."""
    repo = tmp_path / "ats"
    repo.mkdir()
    _git("init", "--quiet", "-b", "main", cwd=repo)
    return repo


def _interop(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "interop"), *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _add_contracts(repo: Path) -> None:
    """What the programme team does after init: fill in the sidecar, write the contract."""
    folder = repo / "contracts"
    _write(folder / "programme.yaml", SIDECAR.format(name="Applicant tracking"))
    _write(folder / "synergy.yaml", CONSUMER)


def _checked_pairs(repo: Path, env: dict[str, str], *extra: str) -> tuple[int, dict[str, object]]:
    done = _interop("check", "--format", "json", "--max-examples", "3", *extra, cwd=repo, env=env)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_init_by_path_then_check_the_programme_against_the_central_clusters(
    central: Path, programme_repo: Path, env: dict[str, str]
):
    done = _interop(
        "init", "--programme", "ats", "--catalogue", "../central/contracts",
        cwd=programme_repo, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    config = (programme_repo / "interop.toml").read_text()
    assert 'programme = "ats"' in config and 'catalogue = "../central/contracts"' in config
    assert (programme_repo / "contracts" / "programme.yaml").is_file()  # the skeleton
    _add_contracts(programme_repo)

    code, result = _checked_pairs(programme_repo, env)
    assert code == 1  # the incompatibility is found
    pairs = result["pairs"]
    assert isinstance(pairs, list)
    assert [(p["programme"], p["cluster"]) for p in pairs] == [("ats", "synergy")]
    assert "central" in pairs[0]["provider"]["file"]
    assert (programme_repo / "reports" / "interop-check.json").is_file()

    # From a sub-folder of the repository, the same config governs.
    (programme_repo / "src").mkdir()
    code, nested = _checked_pairs(programme_repo / "src", env, "--no-reports")
    assert code == 1 and [p["programme"] for p in nested["pairs"]] == ["ats"]  # type: ignore[union-attr]

    # Asking for the central catalogue's own programme still works.
    code, other = _checked_pairs(programme_repo, env, "--programme", "payroll-hub", "--no-reports")
    assert code == 0 and [p["programme"] for p in other["pairs"]] == ["payroll-hub"]  # type: ignore[union-attr]


def test_init_by_git_url_fetches_only_when_asked(
    central: Path, programme_repo: Path, env: dict[str, str]
):
    (programme_repo / "pyproject.toml").write_text('[project]\nname = "ats"\n')
    url = central.as_uri()
    done = _interop(
        "init", "--programme", "ats", "--catalogue-git", url, "--ref", "main",
        "--catalogue-path", "contracts", cwd=programme_repo, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "interop catalogue fetch" in done.stderr
    pyproject = (programme_repo / "pyproject.toml").read_text()
    assert pyproject.startswith('[project]\nname = "ats"\n')
    assert "[tool.interop]" in pyproject and f'git = "{url}"' in pyproject
    _add_contracts(programme_repo)

    not_yet = _interop("check", "--no-reports", cwd=programme_repo, env=env)
    assert not_yet.returncode == 2
    assert not_yet.stderr.count("\n") == 1
    assert "not fetched yet: run 'interop catalogue fetch'" in not_yet.stderr
    cache = Path(env["XDG_CACHE_HOME"]) / "interop" / "catalogues"
    assert not cache.exists(), "nothing is fetched unasked"

    fetched = _interop("catalogue", "fetch", cwd=programme_repo, env=env)
    assert fetched.returncode == 0, fetched.stderr
    (clone,) = cache.iterdir()
    assert (clone / "contracts" / "catalogue.yaml").is_file()

    code, result = _checked_pairs(programme_repo, env, "--no-reports")
    assert code == 1
    (pair,) = result["pairs"]  # type: ignore[misc]
    assert (pair["programme"], pair["cluster"]) == ("ats", "synergy")
    # The check cache of a fetched catalogue lives in the user's cache, not in the clone.
    assert not (clone / "contracts" / ".interop").exists()
    assert (Path(env["XDG_CACHE_HOME"]) / "interop" / "cache").is_dir()

    # A new central commit arrives with the next fetch, not before.
    _write(central / "contracts" / "clusters" / "synergy" / "1.0.0.yaml", CONSUMER)
    _git("commit", "--quiet", "-am", "Synergy now returns total", cwd=central)
    code, _ = _checked_pairs(programme_repo, env, "--no-reports")
    assert code == 1
    assert _interop("catalogue", "fetch", cwd=programme_repo, env=env).returncode == 0
    code, _ = _checked_pairs(programme_repo, env, "--no-reports")
    assert code == 0


def test_resolution_order_flag_then_environment_then_config(
    central: Path, programme_repo: Path, env: dict[str, str], tmp_path: Path
):
    assert _interop("init", "-p", "ats", "--catalogue", str(central / "contracts"),
                    cwd=programme_repo, env=env).returncode == 0  # fmt: skip
    _add_contracts(programme_repo)
    other = tmp_path / "other"
    shutil.copytree(central / "contracts", other)

    def shown(*args: str, **extra_env: str) -> str:
        done = _interop("catalogue", "show", *args, cwd=programme_repo, env={**env, **extra_env})
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert f"catalogue: {central / 'contracts'} (from config)" in shown()
    assert "programme: ats" in shown()
    assert f"catalogue: {other} (from INTEROP_CATALOGUE)" in shown(INTEROP_CATALOGUE=str(other))
    flagged = shown("--catalogue", str(other), INTEROP_CATALOGUE=str(tmp_path / "nowhere"))
    assert f"catalogue: {other} (from --catalogue)" in flagged
    # Outside any programme repository: ./contracts, else the bundled demo.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = _interop("catalogue", "show", cwd=elsewhere, env=env)
    assert done.returncode == 0 and "(from bundled)" in done.stdout


def test_conform_reads_the_config(central: Path, programme_repo: Path, env: dict[str, str]):
    assert _interop("init", "-p", "ats", "--catalogue", "../central/contracts",
                    cwd=programme_repo, env=env).returncode == 0  # fmt: skip
    _add_contracts(programme_repo)
    done = _interop(
        "conform", "--max-examples", "2", "--format", "json", "--no-reports",
        cwd=programme_repo, env=env,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    result = json.loads(done.stdout)
    assert [(p["programme"], p["cluster"]) for p in result["pairs"]] == [("ats", "synergy")]
    assert result["pairs"][0]["evidence"] == ["static", "live"]


PLUGIN_TEST = """\
import httpx


def test_the_central_cluster_is_mocked(interop_mock):
    mock = interop_mock("synergy")
    response = mock.client.get(mock.base_url + "/workers", headers=mock.credentials)
    assert response.status_code == 200
    assert "count" in response.json()
"""


def test_the_pytest_plugin_reads_the_config(
    central: Path, programme_repo: Path, env: dict[str, str]
):
    assert _interop("init", "-p", "ats", "--catalogue", "../central/contracts",
                    cwd=programme_repo, env=env).returncode == 0  # fmt: skip
    _add_contracts(programme_repo)
    # A cluster only the central catalogue has: the demo catalogue has no 1.0.0 of Synergy.
    (programme_repo / "test_mock.py").write_text(
        PLUGIN_TEST.replace('"synergy")', '"synergy", version="1.0.0")')
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_mock.py"],
        cwd=programme_repo, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout


def test_init_refuses_to_overwrite_a_config(programme_repo: Path, env: dict[str, str]):
    (programme_repo / "interop.toml").write_text('programme = "ats"\n')
    done = _interop("init", "-p", "ats", "--config", "interop.toml", cwd=programme_repo, env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("interop: error: ") and "already exists" in done.stderr


def test_a_config_above_the_repository_root_is_not_this_repositorys(tmp_path: Path):
    (tmp_path / "interop.toml").write_text('programme = "someone-else"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_project(repo) is None
    assert find_project(tmp_path) is not None


# --- where interop writes its state ----------------------------------------------------------


def test_state_of_a_working_catalogue_stays_beside_it(tmp_path: Path):
    catalogue = tmp_path / "contracts"
    assert default_cache_dir(catalogue) == catalogue / ".interop" / "cache"
    assert default_store_path(catalogue) == catalogue / ".interop" / "results.db"


@pytest.mark.parametrize(
    "site_packages",
    [sysconfig.get_path("purelib"), site.getusersitepackages()],
    ids=["environment", "pip-install-user"],
)
def test_state_of_an_installed_catalogue_goes_to_the_users_directories(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_packages: str
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    installed = Path(site_packages) / "interop" / "catalogue" / "contracts"
    assert state_dir(installed, "cache") == user_dir("cache") == tmp_path / "cache" / "interop"
    assert default_cache_dir(installed) == tmp_path / "cache" / "interop" / "cache"
    assert default_store_path(installed) == tmp_path / "data" / "interop" / "results.db"


def test_init_refuses_a_programme_id_that_is_not_kebab_case(programme_repo: Path, env):
    done = _interop("init", "-p", "Applicant Tracking", cwd=programme_repo, env=env)
    assert done.returncode == 2
    assert "lower-kebab-case" in done.stderr
    assert not (programme_repo / "interop.toml").exists()


def test_a_failed_fetch_is_one_line_and_leaves_nothing_usable(
    programme_repo: Path, env: dict[str, str], tmp_path: Path
):
    missing = (tmp_path / "no-such-repo").as_uri()
    assert _interop("init", "-p", "ats", "--catalogue-git", missing,
                    cwd=programme_repo, env=env).returncode == 0  # fmt: skip
    fetched = _interop("catalogue", "fetch", cwd=programme_repo, env=env)
    assert fetched.returncode == 2
    assert fetched.stderr.count("\n") == 1 and "git fetch failed" in fetched.stderr
    again = _interop("check", "--no-reports", cwd=programme_repo, env=env)
    assert again.returncode == 2 and "not fetched yet" in again.stderr
