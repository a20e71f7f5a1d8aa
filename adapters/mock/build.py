"""Building a mock from a contract file, a loaded contract, or a catalogue cluster."""

from __future__ import annotations

from pathlib import Path

from interop.harness.catalogue import load_catalogue
from interop.harness.errors import UsageError
from interop.harness.loading import LoadedContract, load_contract

from .auth import MockAuth
from .core import Mock
from .dialects import DIALECTS, dialect_named
from .faults import FaultConfig
from .state import MAX_RECORDS

__all__ = ["build_mock", "mock_for_cluster", "mock_for_spec"]


def build_mock(
    contract: LoadedContract,
    *,
    fixtures: Path | None = None,
    dialect: str | None = None,
    seed: int = 0,
    faults: FaultConfig | None = None,
    auth: MockAuth | None = None,
    name: str | None = None,
    quirks: bool = True,
    max_records: int = MAX_RECORDS,
) -> Mock:
    """A mock of ``contract``; the dialect is inferred from its list envelopes unless named
    (``oracle``, ``workday``, ``odata-v2``, ``odata-v4``, ``generic`` or a catalogue's text).
    ``quirks=False`` leaves out the documented quirks the fixtures file lists (quirks.py);
    ``max_records``: created records kept per collection, the oldest evicted beyond it."""
    chosen = None
    if dialect is not None:
        chosen = dialect_named(dialect)
        if chosen is None:
            known = ", ".join(DIALECTS)
            raise UsageError(f"unknown dialect {dialect!r} (known: {known})")
    return Mock(
        contract,
        fixtures=fixtures,
        dialect=chosen,
        seed=seed,
        faults=faults,
        auth=auth,
        name=name,
        quirks=quirks,
        max_records=max_records,
    )


def mock_for_spec(
    spec: str | Path,
    *,
    seed: int = 0,
    faults: FaultConfig | None = None,
    auth: MockAuth | None = None,
    fixtures: Path | None = None,
    quirks: bool = True,
    max_records: int = MAX_RECORDS,
) -> Mock:
    """A mock of any OpenAPI 3.x or Swagger 2.0 file (ContractError if it does not load);
    quirks come only from a ``fixtures`` file that lists them."""
    return build_mock(
        load_contract(spec),
        seed=seed,
        faults=faults,
        auth=auth,
        fixtures=fixtures,
        quirks=quirks,
        max_records=max_records,
    )


def mock_for_cluster(
    cluster_id: str,
    version: str | None = None,
    catalogue_dir: Path | None = None,
    *,
    seed: int = 0,
    faults: FaultConfig | None = None,
    auth: MockAuth | None = None,
    quirks: bool = True,
    max_records: int = MAX_RECORDS,
) -> Mock:
    """A catalogue cluster's mock: its contract (``version`` or current), fixtures, dialect,
    and the quirks of the real cluster its fixtures list (off with ``quirks=False``)."""
    catalogue = load_catalogue(catalogue_dir)
    cluster = catalogue.cluster(cluster_id)
    file = cluster.file_for(version)
    contract = load_contract(file, display=catalogue.display(file))
    fixtures = cluster.fixtures
    if fixtures is not None and not (fixtures / "fixtures.yaml").is_file() and fixtures.is_dir():
        fixtures = None
    if fixtures is not None and not fixtures.exists():
        fixtures = None
    return build_mock(
        contract,
        fixtures=fixtures,
        dialect=cluster.dialect,
        seed=seed,
        faults=faults,
        auth=auth,
        name=cluster_id,
        quirks=quirks,
        max_records=max_records,
    )
