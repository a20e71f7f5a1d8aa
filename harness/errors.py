"""The one exception tree of interop.

```
InteropError                 the run could not judge; the CLI prints one line and exits 2
  UsageError                 bad options, unknown cluster or programme, bad --shard syntax
  OutputError                a report or result could not be written
  ContractError              something wrong with a contract file; carries file, pointer, line
    ContractSyntaxError      not parseable YAML/JSON, bad encoding, duplicate keys, too big/deep
    InvalidContract          parses, but is not a valid OpenAPI/Swagger document
    UnresolvableRef          a $ref that cannot be followed (missing, remote, cyclic)
  CatalogueError             the catalogue index or a programme sidecar is invalid
  ResultFileError            a JSON result (file, shard, cache entry) is not an interop result
  SandboxError               a live sandbox could not be reached
  StoreError                 the results store could not be opened, read or written
```

An incompatibility is a `Finding`, never an exception: exceptions mean the run could not judge.
"""

from __future__ import annotations

__all__ = [
    "CatalogueError",
    "ContractError",
    "ContractSyntaxError",
    "InteropError",
    "InvalidContract",
    "OutputError",
    "ResultFileError",
    "SandboxError",
    "StoreError",
    "UnresolvableRef",
    "UsageError",
]


class InteropError(Exception):
    """Base of every error interop raises on purpose."""


class UsageError(InteropError):
    """Bad options: unknown programme or cluster, bad syntax, conflicting flags."""


class OutputError(InteropError):
    """A report, result or store file could not be written."""


class SandboxError(InteropError):
    """A live sandbox could not be reached (connection refused, TLS, timeout)."""


class CatalogueError(InteropError):
    """The catalogue index or a programme sidecar is missing or invalid."""

    def __init__(self, file: str, problem: str, *, line: int | None = None) -> None:
        super().__init__(file, problem, line)
        self.file = file
        self.problem = problem
        self.line = line

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.problem}"


class ResultFileError(InteropError):
    """A JSON result is unreadable or not a schema_version 1 interop result.

    ``file: problem`` on one line, e.g. ``shard-2.json: findings[3].rule: Field required``.
    """

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(file, problem)
        self.file = file
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.file}: {self.problem}"


class ContractError(InteropError):
    """A contract file could not be used. `file:line pointer: problem`."""

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        pointer: str = "",
        line: int | None = None,
    ) -> None:
        super().__init__(file, problem, pointer, line)
        self.file = file
        self.problem = problem
        self.pointer = pointer
        self.line = line

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.pointer:
            where = f"{where} {self.pointer}"
        return f"{where}: {self.problem}"


class ContractSyntaxError(ContractError):
    """The file is not parseable YAML or JSON, or breaks a safety limit."""


class InvalidContract(ContractError):
    """The file parses but is not a valid OpenAPI 3.0/3.1 or Swagger 2.0 document."""


class UnresolvableRef(ContractError):
    """A `$ref` that cannot be followed: missing target, remote without --allow-remote, cycle."""


class StoreError(InteropError):
    """The results store could not be opened or written: URL, credentials, schema revision."""
