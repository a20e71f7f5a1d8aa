"""interop as a programme team gets it: a wheel built from this tree, installed into a fresh
virtual environment outside the repository, used from a directory that holds no catalogue.

The environment gets the wheel and exactly the dependencies its metadata asks for (followed
transitively, extras and markers included), pinned to the versions the dev environment has: no
resolver surprises, no ``--system-site-packages``, and a dependency missing from the metadata
fails here rather than in a programme's pipeline.
"""

from __future__ import annotations

import email.parser
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "interop-harness"
NOTE = "interop: using the bundled demo catalogue ("
CATALOGUE_SUFFIXES = {
    "contracts": {".md", ".yaml", ".yml", ".json"},
    "fixtures": {".yaml", ".yml", ".json"},
}
# What the build must leave out although it sits in the tree (planted in the copy built from).
PLANTED = (
    "harness/__pycache__/planted.cpython-311.pyc",
    "contracts/.interop/cache/ab/planted.json",
    "fixtures/synergy/.interop/planted.yaml",
    "reports/interop-check.json",
    "tests/planted_test.py",
)
# The README's example imports the programme's own code; this stand-in sends one valid request
# (a seeded worker, so it also fails if the mock got no fixtures).
ONBOARDING = """
def hire_new_starter(*, base_url, http, headers):
    manager = http.get(f"{base_url}/workers/300000047800007", headers=headers)
    manager.raise_for_status()
    return manager.json()["PersonNumber"]
"""


def readme_plugin_example() -> str:
    """The README's pytest-plugin example, exactly as it is shown there."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```$", text, flags=re.M | re.S)
    example = next(block for block in blocks if "interop_cluster" in block)
    assert "from onboarding import hire_new_starter" in example
    return example


def _catalogue_files() -> set[str]:
    """The repository's catalogue files as the wheel should hold them."""
    files = set()
    for folder, suffixes in CATALOGUE_SUFFIXES.items():
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT / folder)
            if path.is_file() and path.suffix in suffixes and not _hidden(relative.parts):
                files.add(f"interop/catalogue/{folder}/{relative.as_posix()}")
    return files


def _hidden(parts: Iterable[str]) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in parts)


_NOT_PASSED_ON = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTEST_ADDOPTS", "INTEROP_STORE"}


def _env() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in _NOT_PASSED_ON}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args],
        cwd=cwd,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _ok(done: subprocess.CompletedProcess[str], *expected: int) -> subprocess.CompletedProcess[str]:
    assert done.returncode in (expected or (0,)), (
        f"{' '.join(map(str, done.args))} exited {done.returncode}\n"
        f"--- stdout\n{done.stdout[-4000:]}\n--- stderr\n{done.stderr[-4000:]}"
    )
    return done


def pinned_dependencies(requires_dist: Iterable[str]) -> dict[str, str]:
    """Every distribution ``requires_dist`` needs, transitively, at the dev env's version."""
    pins: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = [(Requirement(text), ("",)) for text in requires_dist]
    while pending:
        requirement, extras = pending.pop()
        marker = requirement.marker
        if marker is not None and not any(marker.evaluate({"extra": e}) for e in extras):
            continue
        name = canonicalize_name(requirement.name)
        key = (name, frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        installed = importlib.metadata.distribution(name)
        assert requirement.specifier.contains(installed.version, prereleases=True), (
            f"the dev environment's {name} {installed.version} does not satisfy {requirement}"
        )
        pins[name] = installed.version
        needs = ("", *sorted(requirement.extras))
        pending += [(Requirement(text), needs) for text in installed.requires or ()]
    return pins


@pytest.mark.slow
def test_a_programme_team_installs_the_wheel_and_uses_it_outside_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One test, so that pytest-xdist never builds and installs it twice.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    wheel = _build_wheel(tmp_path / "build")
    _assert_wheel_contents(wheel)
    bin_dir = _install(wheel, tmp_path / "venv")
    work = tmp_path / "programme"
    work.mkdir()
    _ok(_run(bin_dir / "interop", "--version", cwd=work))
    _assert_command_checks_the_bundled_catalogue(bin_dir, wheel, work)
    _assert_state_stays_out_of_site_packages(bin_dir, work, tmp_path)
    _assert_readme_plugin_example_passes(bin_dir, work)


def _assert_state_stays_out_of_site_packages(bin_dir: Path, work: Path, tmp_path: Path) -> None:
    """The check cache and the --record store of the bundled catalogue go to the user's
    directories (docs/store.md), never into the installed package."""
    _ok(_run(bin_dir / "interop", "check", "-p", "fast-stream", "--record", "--no-reports",
             cwd=work))  # fmt: skip
    assert (tmp_path / "user-data" / "interop" / "results.db").is_file()
    assert (tmp_path / "user-cache" / "interop" / "cache").is_dir()
    written = list(bin_dir.parent.rglob(".interop"))
    assert written == [], written


def _build_wheel(where: Path) -> Path:
    """A wheel built from a copy of this tree, with junk planted in it that must stay out."""
    src = where / "interop"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "build",
            "dist",
            "*.egg-info",
            ".mypy_cache",
            ".ruff_cache",
            ".pytest_cache",
            ".hypothesis",
            "node_modules",
            ".prism",
        ),
    )
    for planted in PLANTED:
        (src / planted).parent.mkdir(parents=True, exist_ok=True)
        (src / planted).write_text("planted\n")
    out = where / "dist"
    _ok(
        _run(
            sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, src, cwd=where
        )
    )
    (built,) = out.glob("interop_harness-*.whl")
    return built


def _assert_wheel_contents(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = email.parser.Parser().parsestr(
            archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        )
        entry_points = archive.read(
            next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        ).decode()
    assert metadata["Name"] == DISTRIBUTION
    assert "interop = interop.harness.cli:main" in entry_points
    assert "interop = interop.adapters.pytest_plugin" in entry_points
    dist_info = f"interop_harness-{metadata['Version']}.dist-info"
    assert {name.split("/")[0] for name in names} == {"interop", dist_info}
    assert {n for n in names if n.startswith("interop/catalogue/")} == _catalogue_files()
    for needed in (
        "catalogue/contracts/catalogue.yaml",
        "catalogue/contracts/expectations.yaml",
        "catalogue/contracts/clusters/synergy/1.5.0.yaml",
        "catalogue/contracts/programmes/ats/programme.yaml",
        "catalogue/fixtures/synergy/fixtures.yaml",
        "harness/cli/app.py",
        "harness/openapi/model.py",
        "harness/render/templates/report.html.j2",
        "adapters/pytest_plugin.py",
    ):
        assert f"interop/{needed}" in names
    leftovers = [
        n
        for n in names
        if _hidden(n.split("/"))
        or n.endswith(".pyc")
        or "planted" in n
        or n.split("/")[1:2] in (["tests"], ["reports"], ["benchmarks"])
    ]
    assert leftovers == []


def _install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment holding the wheel and its pinned dependencies: its bin/."""
    # No pip of its own (ensurepip is slow): the dev environment's pip installs into it.
    _ok(_run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=venv.parent))
    with zipfile.ZipFile(wheel) as archive:
        (metadata,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        requires = (
            email.parser.Parser()
            .parsestr(archive.read(metadata).decode())
            .get_all("Requires-Dist", [])
        )
    pins = pinned_dependencies(requires)
    _ok(
        _run(
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin" / "python",
            "install",
            "--quiet",
            "--no-compile",  # byte-compiling ~80 distributions costs more than the imports do
            "--no-deps",
            wheel,
            *(f"{name}=={version}" for name, version in sorted(pins.items())),
            cwd=venv.parent,
        )
    )
    return venv / "bin"


def _assert_command_checks_the_bundled_catalogue(bin_dir: Path, wheel: Path, work: Path) -> None:
    _ok(_run(bin_dir / "interop", "--help", cwd=work))
    done = _ok(_run(bin_dir / "interop", "check", cwd=work), 1)
    notes = [line for line in done.stderr.splitlines() if line.startswith(NOTE)]
    assert len(notes) == 1, done.stderr
    bundled = Path(notes[0][len(NOTE) :].split(")")[0])
    assert bundled.is_relative_to(bin_dir.parent) and bundled.name == "contracts"
    for report in ("interop-check.html", "interop-check.json", "interop-check.junit.xml"):
        assert (work / "reports" / report).stat().st_size > 0
    result = json.loads((work / "reports" / "interop-check.json").read_text(encoding="utf-8"))
    # The version comes from the installed distribution's metadata, not "0+unknown".
    assert result["tool"] == {"name": "interop", "version": wheel.name.split("-")[1]}
    _assert_one_pair_per_interface(result, bundled)


def _assert_one_pair_per_interface(result: dict[str, Any], bundled: Path) -> None:
    """One pair per REST integration (a readiness cell each) and one per event or file
    interface a programme consumes, falling into those cells: counted from the bundled
    catalogue the wheel carries, not a number kept by hand (122 REST, 25 interfaces today)."""
    from interop.harness.catalogue import load_catalogue

    catalogue = load_catalogue(bundled, project=None)
    rest = [(p["programme"], p["cluster"]) for p in result["pairs"] if "interface" not in p]
    interfaces = [
        (p["programme"], p["cluster"], p["interface"]) for p in result["pairs"] if "interface" in p
    ]
    assert sorted(rest) == sorted((p.programme, p.cluster) for p in catalogue.pairs())
    assert sorted(interfaces) == sorted(
        (p.programme, p.cluster, p.interface) for p in catalogue.interface_pairs()
    )
    assert interfaces, "the bundled catalogue declares event and file interfaces"
    # a cell is the worst of its interfaces: no interface pair opens a cell of its own
    assert {(p, c) for p, c, _ in interfaces} <= set(rest)


def _assert_readme_plugin_example_passes(bin_dir: Path, work: Path) -> None:
    (work / "onboarding.py").write_text(ONBOARDING, encoding="utf-8")
    (work / "test_onboarding.py").write_text(readme_plugin_example(), encoding="utf-8")
    done = _ok(_run(bin_dir / "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=work))
    assert "1 passed" in done.stdout


def test_the_readme_plugin_example_passes_here_on_the_bundled_catalogue(
    pytester: pytest.Pytester,
) -> None:
    """The same example in-process, against the editable install, from a folder with no
    catalogue: quick feedback before the slow wheel tests."""
    pytester.makepyfile(onboarding=ONBOARDING, test_onboarding=readme_plugin_example())
    pytester.syspathinsert()
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
