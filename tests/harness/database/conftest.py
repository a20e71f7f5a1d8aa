"""Fixtures for the results store: the bundled catalogue, a SQLite store, a real PostgreSQL.

The PostgreSQL server is Debian's ``postgresql`` package, started here in a temporary
directory with ``initdb``/``pg_ctl`` (as the ``postgres`` user when the tests run as root,
since initdb refuses root). Its tests skip, saying so, only when the server binaries are absent.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from interop.harness.catalogue import Catalogue, load_catalogue
from interop.harness.database import Store, open_store

REPO = Path(__file__).resolve().parents[3]
PG_PASSWORD = "interop-test-" + secrets.token_hex(4)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue(REPO / "contracts")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(str(tmp_path / "results.db"), catalogue_dir=tmp_path)
    yield opened
    opened.close()


def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    if found and (Path(found).resolve().parent / "initdb").is_file():
        return Path(found).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class PostgresServer:
    socket_dir: Path
    port: int
    user: str = "interop"
    password: str = PG_PASSWORD

    def url(self, database: str = "postgres") -> str:
        """A URL over TCP with the password (scram-sha-256 is enforced on TCP)."""
        return f"postgresql://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        import psycopg

        name = "t_" + secrets.token_hex(6)
        with psycopg.connect(
            host=str(self.socket_dir),
            port=self.port,
            user=self.user,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return name


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    bindir = _pg_bindir()
    if bindir is None:
        pytest.skip(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: "
            "`apt-get install -y postgresql` to run the PostgreSQL store tests"
        )
    as_root = os.geteuid() == 0
    # pytest's tmp_path lives under a 0700 directory the postgres user cannot enter.
    base = Path(tempfile.mkdtemp(prefix="interop-pg-"))
    data, sockets, pwfile = base / "data", base / "s", base / "pw"
    sockets.mkdir()
    pwfile.write_text(PG_PASSWORD + "\n")
    prefix: list[str] = []
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
        shutil.chown(pwfile, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = base / "server.log"

    def run(*command: str) -> None:
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}{tail}")

    run(
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "interop",
        "-E",
        "UTF8",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        f"--pwfile={pwfile}",
        "--no-sync",
        "--no-instructions",
    )
    options = (
        f"-k {sockets} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
    )
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        yield PostgresServer(socket_dir=sockets, port=port)
    finally:
        with contextlib.suppress(RuntimeError):
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A fresh, empty database on the test server."""
    return postgres.url(postgres.create_database())
