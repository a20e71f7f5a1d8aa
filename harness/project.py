"""Catalogue discovery for real teams: a programme's repository, its config, the central catalogue.

Cluster contracts live in one central catalogue; each programme keeps its consumer contracts
(a ``programme.yaml`` sidecar and one contract per cluster) in its own repository. A small
config there, written by ``interop init``, names the programme, its contracts folder and the
central catalogue: ``[tool.interop]`` in ``pyproject.toml``, or the same keys at the top of
``interop.toml``::

    [tool.interop]
    programme = "ats"                 # the programme's id
    contracts = "interop"             # its folder: programme.yaml + consumer contracts
    catalogue = "../central/contracts"            # a path (relative to the config), or
    # catalogue = {git = "https://git.example/central.git", ref = "main", path = "contracts"}

The config is looked for in the working directory and its parents, up to the repository's
root (the first folder with ``.git``). The central catalogue resolves in this order, first
match wins:

1. ``--catalogue DIR`` on the command line;
2. ``$INTEROP_CATALOGUE`` (a directory);
3. the config's ``catalogue``: a path, or a git repository cloned into the user's cache by
   ``interop catalogue fetch`` (never fetched otherwise: a missing clone is an error that says
   to fetch it);
4. ``./contracts`` when it holds a ``catalogue.yaml``;
5. the demo catalogue bundled with interop.

With a config naming a programme, that programme's folder is laid over the central catalogue
(its sidecar replaces or adds the programme), and commands that take ``--programme`` default
to it.

Also here: where interop writes its own state (the check cache, the default results store).
Next to a catalogue the user works on, ``<catalogue>/.interop/``; for the bundled catalogue of
an installed interop (inside ``site-packages``) or a fetched clone, the user's directories:
``$XDG_CACHE_HOME/interop`` (default ``~/.cache/interop``) and ``$XDG_DATA_HOME/interop``
(default ``~/.local/share/interop``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import site
import subprocess
import sysconfig
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .errors import CatalogueError, UsageError

__all__ = [
    "CATALOGUE_ENV_VAR",
    "CONFIG_FILE",
    "CatalogueSource",
    "ProjectConfig",
    "catalogue_clone_dir",
    "central_catalogue_dir",
    "fetch_catalogue",
    "find_project",
    "init_project",
    "state_dir",
    "user_dir",
]

CATALOGUE_ENV_VAR = "INTEROP_CATALOGUE"
CONFIG_FILE = "interop.toml"
PYPROJECT = "pyproject.toml"
_INDEX_FILE = "catalogue.yaml"
_KEYS = frozenset({"programme", "contracts", "catalogue"})
_GIT_KEYS = frozenset({"git", "ref", "path"})


@dataclass(frozen=True, slots=True)
class CatalogueSource:
    """Where the central catalogue is: a directory, or a git repository (URL, ref, sub-folder)."""

    path: Path | None = None
    git: str | None = None
    ref: str = "main"
    subdir: str | None = None

    def describe(self) -> str:
        if self.git is None:
            return str(self.path)
        where = f" ({self.subdir})" if self.subdir else ""
        return f"{self.git} at {self.ref}{where}"


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    """A programme repository's interop config, as read from its file."""

    file: Path
    programme: str | None = None
    contracts: Path | None = None
    """The programme's folder (``programme.yaml`` and its consumer contracts), absolute."""
    catalogue: CatalogueSource | None = None


# --- reading the config --------------------------------------------------------------------


def find_project(start: Path | None = None) -> ProjectConfig | None:
    """The config governing ``start`` (default: the working directory): ``interop.toml`` or a
    ``pyproject.toml`` with ``[tool.interop]``, in it or a parent, up to the repository root."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return _read_config(own, _load_toml(own))
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            table = _load_toml(pyproject).get("tool", {}).get("interop")
            if table is not None:
                if not isinstance(table, dict):
                    raise CatalogueError(str(pyproject), "[tool.interop] must be a table")
                return _read_config(pyproject, table)
        if (candidate / ".git").exists():
            return None  # the repository's root: a config above it belongs to something else
    return None


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(str(path), f"invalid TOML: {exc}") from None
    except OSError as exc:
        raise CatalogueError(str(path), f"cannot read: {exc.strerror or exc}") from None


def _read_config(file: Path, data: dict[str, Any]) -> ProjectConfig:
    if file.name == CONFIG_FILE and isinstance(data.get("tool"), dict):
        data = data["tool"].get("interop", data)  # interop.toml may use [tool.interop] too
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise CatalogueError(
            str(file), f"unknown interop setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
        )
    base = file.parent
    programme = data.get("programme")
    if programme is not None and not isinstance(programme, str):
        raise CatalogueError(str(file), "programme must be a string (the programme's id)")
    contracts = data.get("contracts")
    if contracts is not None and not isinstance(contracts, str):
        raise CatalogueError(str(file), "contracts must be a folder path")
    if contracts is not None and programme is None:
        raise CatalogueError(str(file), "contracts needs programme (whose contracts they are)")
    return ProjectConfig(
        file=file,
        programme=programme,
        contracts=(base / contracts).resolve() if contracts is not None else None,
        catalogue=_read_source(file, data.get("catalogue")),
    )


def _read_source(file: Path, value: object) -> CatalogueSource | None:
    if value is None:
        return None
    if isinstance(value, str):
        return CatalogueSource(path=(file.parent / value).resolve())
    if isinstance(value, dict):
        unknown = sorted(set(value) - _GIT_KEYS)
        git, ref, subdir = value.get("git"), value.get("ref", "main"), value.get("path")
        if unknown or not isinstance(git, str) or not isinstance(ref, str):
            raise CatalogueError(
                str(file), 'catalogue must be a path or {git = "URL", ref = "main", path = "…"}'
            )
        if subdir is not None and not isinstance(subdir, str):
            raise CatalogueError(str(file), "catalogue.path must be a folder inside the repository")
        return CatalogueSource(git=git, ref=ref, subdir=subdir)
    raise CatalogueError(str(file), "catalogue must be a path or a {git = …, ref = …} table")


# --- resolving the central catalogue --------------------------------------------------------


How = Literal["--catalogue", "INTEROP_CATALOGUE", "config", "./contracts", "bundled"]


def central_catalogue_dir(
    explicit: Path | None = None, *, project: ProjectConfig | None = None
) -> tuple[Path, How] | None:
    """The central catalogue's directory and which rule chose it (the module's order), or None
    when nothing but the bundled catalogue is left (the caller decides about that)."""
    if explicit is not None:
        return explicit, "--catalogue"
    env = os.environ.get(CATALOGUE_ENV_VAR)
    if env:
        return Path(env), "INTEROP_CATALOGUE"
    if project is not None and project.catalogue is not None:
        return _source_dir(project.catalogue, project.file), "config"
    local = Path("contracts")
    if (local / _INDEX_FILE).is_file():
        return local, "./contracts"
    return None


def _source_dir(source: CatalogueSource, config_file: Path) -> Path:
    if source.git is None:
        assert source.path is not None
        return source.path
    clone = catalogue_clone_dir(source)
    if not _checked_out(clone):  # never fetched, or only a fetch that failed
        raise CatalogueError(
            str(config_file),
            f"the central catalogue {source.describe()} is not fetched yet: run "
            "'interop catalogue fetch' (interop never fetches it unasked)",
        )
    return _inside(clone, source)


def _checked_out(clone: Path) -> bool:
    # fetch_catalogue ends with a detached checkout: HEAD then holds a commit id, not a ref.
    try:
        head = (clone / ".git" / "HEAD").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return False
    return bool(re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", head))


def _inside(clone: Path, source: CatalogueSource) -> Path:
    if source.subdir is not None:
        return clone / source.subdir
    if (clone / _INDEX_FILE).is_file():
        return clone
    return clone / "contracts"


def catalogue_clone_dir(source: CatalogueSource) -> Path:
    """Where ``interop catalogue fetch`` keeps the clone of a git catalogue (one per URL and
    ref) in the user's cache."""
    assert source.git is not None
    key = hashlib.sha256(f"{source.git}\0{source.ref}".encode()).hexdigest()[:16]
    return user_dir("cache") / "catalogues" / key


def fetch_catalogue(source: CatalogueSource, *, config_file: Path | None = None) -> Path:
    """Clone (or bring up to date) a git catalogue into the user's cache, with ``git``; return
    the catalogue's directory inside the clone. The only place interop fetches a catalogue."""
    if source.git is None:
        raise UsageError("the catalogue is a folder, not a git repository: nothing to fetch")
    git = shutil.which("git")
    if git is None:
        raise UsageError("fetching the central catalogue needs git, which is not on PATH")
    clone = catalogue_clone_dir(source)
    shown = str(config_file) if config_file is not None else source.git
    if not (clone / ".git").exists():
        clone.mkdir(parents=True, exist_ok=True)
        _git(git, ["init", "--quiet", str(clone)], shown)
    fetch = ["fetch", "--quiet", "--depth", "1", source.git, source.ref]
    _git(git, ["-C", str(clone), *fetch], shown)
    _git(git, ["-C", str(clone), "checkout", "--quiet", "--force", "--detach", "FETCH_HEAD"], shown)
    directory = _inside(clone, source)
    if not (directory / _INDEX_FILE).is_file():
        raise CatalogueError(
            str(directory / _INDEX_FILE),
            f"{source.describe()} has no catalogue index here (set catalogue.path)",
        )
    return directory


def _git(git: str, args: list[str], shown: str) -> None:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    completed = subprocess.run(
        [git, *args], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    if completed.returncode != 0:
        lines = (completed.stderr or completed.stdout).strip().splitlines()
        problem = lines[-1] if lines else f"exit {completed.returncode}"
        command = next(a for a in args[2 if args[0] == "-C" else 0 :] if not a.startswith("-"))
        raise CatalogueError(shown, f"git {command} failed: {problem}")


# --- where interop writes its own state -----------------------------------------------------


def user_dir(kind: Literal["cache", "data"]) -> Path:
    """``$XDG_CACHE_HOME/interop`` or ``$XDG_DATA_HOME/interop`` (XDG defaults otherwise)."""
    variable, default = {
        "cache": ("XDG_CACHE_HOME", Path.home() / ".cache"),
        "data": ("XDG_DATA_HOME", Path.home() / ".local" / "share"),
    }[kind]
    base = os.environ.get(variable)
    return (Path(base) if base else default) / "interop"


def state_dir(catalogue_root: Path, kind: Literal["cache", "data"]) -> Path:
    """Where interop keeps its state for a catalogue: ``<catalogue>/.interop`` for a catalogue
    the user works on; the user's ``kind`` directory for one it must not write into (the
    bundled catalogue inside ``site-packages``, a fetched clone in the cache)."""
    root = catalogue_root.resolve()
    if _read_only(root):
        return user_dir(kind)
    return catalogue_root / ".interop"


def _read_only(root: Path) -> bool:
    clones = user_dir("cache") / "catalogues"
    return any(root.is_relative_to(folder) for folder in (*_install_dirs(), clones.resolve()))


@functools.cache
def _install_dirs() -> tuple[Path, ...]:
    """Where distributions are installed: the environment's and the user's site-packages."""
    folders = [sysconfig.get_path(name) for name in ("purelib", "platlib")]
    folders += [*site.getsitepackages(), site.getusersitepackages()]
    return tuple({Path(folder).resolve() for folder in folders if folder})


# --- interop init ---------------------------------------------------------------------------

_SIDECAR = """\
# The programme's sidecar: who it is and which clusters it integrates with.
# integrations: cluster id -> this programme's consumer contract for it (a file in this folder).
name: {name}
department: TODO
description: TODO what the programme does with the clusters
criticality: medium
version: 0.1.0
integrations: {{}}
"""


def init_project(
    folder: Path,
    *,
    programme: str,
    contracts: str,
    catalogue: CatalogueSource | None,
    file: Literal["auto", "pyproject", "interop.toml"] = "auto",
) -> tuple[Path, Path | None]:
    """Write the config (``[tool.interop]`` in ``folder``'s ``pyproject.toml`` when it has one,
    else ``interop.toml``) and, when the contracts folder has no ``programme.yaml``, a skeleton
    sidecar. Returns the config file and the sidecar written (None when one was there)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", programme):
        raise UsageError(f"--programme {programme!r}: an id is lower-kebab-case, e.g. 'ats'")
    lines = [f"programme = {_toml_string(programme)}", f"contracts = {_toml_string(contracts)}"]
    if catalogue is not None and catalogue.git is not None:
        parts = [f"git = {_toml_string(catalogue.git)}", f"ref = {_toml_string(catalogue.ref)}"]
        if catalogue.subdir is not None:
            parts.append(f"path = {_toml_string(catalogue.subdir)}")
        lines.append(f"catalogue = {{{', '.join(parts)}}}")
    elif catalogue is not None and catalogue.path is not None:
        lines.append(f"catalogue = {_toml_string(_relative(catalogue.path, folder))}")
    pyproject = folder / PYPROJECT
    use_pyproject = file == "pyproject" or (file == "auto" and pyproject.is_file())
    if use_pyproject:
        target = pyproject
        existing = pyproject.read_text(encoding="utf-8") if pyproject.is_file() else ""
        if existing and _load_toml(pyproject).get("tool", {}).get("interop") is not None:
            raise UsageError(f"{pyproject} already has [tool.interop]; edit it there")
        separator = "" if not existing or existing.endswith("\n\n") else "\n"
        if existing and not existing.endswith("\n"):
            separator = "\n\n"
        text = existing + separator + "[tool.interop]\n" + "\n".join(lines) + "\n"
    else:
        target = folder / CONFIG_FILE
        if target.exists():
            raise UsageError(f"{target} already exists; edit it there")
        text = "# interop: this programme's contracts and the central catalogue.\n"
        text += "\n".join(lines) + "\n"
    from .result_file import write_atomic

    sidecar = folder / contracts / "programme.yaml"
    written_sidecar = None
    if not sidecar.exists():
        write_atomic(sidecar, _SIDECAR.format(name=programme))
        written_sidecar = sidecar
    write_atomic(target, text)
    return target, written_sidecar


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _relative(path: Path, folder: Path) -> str:
    try:
        return os.path.relpath(path.resolve(), folder.resolve())
    except ValueError:  # another drive (Windows)
        return str(path.resolve())
