"""interop's reading of AsyncAPI agrees with the official parser's (``@asyncapi/parser``).

Every AsyncAPI file of the repository (the catalogue, the rule cases, the labelled suite, test
data) is read by both: channel addresses and their messages, operations (send/receive from the
owner's view, so a 2.6 ``subscribe`` is a send), message names and payload property names must
be the same. A document interop finds malformed, the parser must reject too. The parser is
installed from the npm registry into ``parser/node_modules`` (pinned by ``package-lock.json``)
on first use; the test skips only when npm or node is missing or the registry is unreachable.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.asyncapi import asyncapi_model, structural_problems
from interop.harness.errors import ContractError
from interop.harness.loading import LoadedContract, load_contract, resolve_pointer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
PARSER = HERE / "parser"
_SKIP_DIRS = {"node_modules", ".venv", ".git", ".hypothesis", "__pycache__"}


def _asyncapi_files() -> list[Path]:
    found = []
    for folder in (ROOT / "contracts", ROOT / "tests"):
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".yaml", ".yml", ".json") or _SKIP_DIRS & set(path.parts):
                continue
            try:
                head = path.read_text(encoding="utf-8")[:400]
            except (OSError, UnicodeDecodeError):
                continue
            if "asyncapi" in head:
                try:
                    data = yaml.safe_load(path.read_text(encoding="utf-8"))
                except yaml.YAMLError:
                    continue
                if isinstance(data, dict) and "asyncapi" in data:
                    found.append(path)
    return found


@pytest.fixture(scope="module")
def reference() -> dict[str, Any]:
    """The parser's reading of every AsyncAPI file, keyed by path."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node/npm not installed: cannot run the official AsyncAPI parser")
    with open(HERE / ".install.lock", "w") as lock:  # xdist workers install once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PARSER / "node_modules" / "@asyncapi" / "parser").is_dir():
            done = subprocess.run(
                [npm, "ci", "--prefix", str(PARSER), "--no-audit", "--no-fund"],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if done.returncode != 0:
                pytest.skip(f"npm could not install @asyncapi/parser: {done.stderr[-300:]}")
    files = [str(p) for p in _asyncapi_files()]
    assert len(files) >= 24, "the rule cases and the labelled suite hold AsyncAPI files"
    done = subprocess.run(
        [node, str(PARSER / "read.mjs"), *files],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _payload_properties(contract: LoadedContract, pointer: str | None) -> list[str]:
    if pointer is None:
        return []
    try:
        schema, _ = contract.resolve(resolve_pointer(contract.document, pointer), pointer)
    except (KeyError, ContractError):
        return []
    properties = schema.get("properties") if isinstance(schema, dict) else None
    return sorted(properties) if isinstance(properties, dict) else []


def _ours(contract: LoadedContract) -> dict[str, Any]:
    model = asyncapi_model(contract)
    messages = {m.name: m for c in model.channels for m in c.messages}
    for op in model.operations:
        messages.update({m.name: m for m in op.messages})
    return {
        "channels": sorted(
            (c.address or "", sorted(m.name for m in c.messages)) for c in model.channels
        ),
        "operations": sorted(
            (op.action, [op.channel.address or ""], sorted(m.name for m in op.messages))
            for op in model.operations
        ),
        "payloads": {
            name: _payload_properties(contract, m.payload_pointer) for name, m in messages.items()
        },
    }


def _theirs(read: dict[str, Any]) -> dict[str, Any]:
    return {
        "channels": sorted((c["address"] or "", c["messages"]) for c in read["channels"]),
        "operations": sorted(
            (op["action"], [a or "" for a in op["channels"]], op["messages"])
            for op in read["operations"]
        ),
        "payloads": {
            name: props
            for name, props in read["payloads"].items()
            if not name.startswith("<anonymous")
        },
    }


def test_interop_reads_every_asyncapi_file_as_the_official_parser(
    reference: dict[str, Any],
) -> None:
    compared = 0
    for file, read in reference.items():
        contract = load_contract(file)
        if structural_problems(contract):
            assert not read["ok"] or read["diagnostics"], (
                f"{file}: interop finds it malformed, the official parser does not"
            )
            continue
        assert read["ok"] and not read["diagnostics"], (file, read.get("diagnostics"))
        ours, theirs = _ours(contract), _theirs(read)
        assert ours["channels"] == theirs["channels"], file
        assert ours["operations"] == theirs["operations"], file
        for name, props in theirs["payloads"].items():
            assert ours["payloads"].get(name) == props, (file, name)
        compared += 1
    assert compared >= 20
