"""pytest plugin (entry point ``pytest11``): cluster mocks for a programme's integration tests.

```python
@pytest.mark.interop_cluster("synergy")
def test_onboarding(interop_cluster):
    hire_new_starter(base_url=interop_cluster.base_url, http=interop_cluster.client)
```

``interop_cluster`` stands up the cluster's mock (in-process, no sockets) and the test **fails**
if the code under test sent any request that broke the cluster's contract, even when the code
swallowed the 4xx. ``interop_mock(cluster, version=..., spec=...)`` builds more mocks in one
test. The default cluster comes from the ``interop_cluster`` marker, else the ``interop_cluster``
ini option; ``interop_version``, ``interop_spec``, ``interop_catalogue``, ``interop_seed`` too.

Events: a cluster that publishes an event contract (an AsyncAPI interface under its
``interfaces:`` in the catalogue index, or ``events="asyncapi.yaml"`` for a spec) sends its
events after the calls that cause them; ``interop_cluster.events`` lists them, and
``interop_cluster.subscribe(app_or_url)`` delivers them to the programme's own receiver, before
the call that caused them returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import httpx
    import respx

    from interop.adapters.mock import FaultConfig, Mock, Violation
    from interop.adapters.mock.delivery import Delivery, Subscriber
    from interop.adapters.mock.events import Event
    from interop.adapters.receivers import ASGIApp
    from interop.harness.results import RunResult

__all__ = ["ClusterMock"]

_MOCKS = pytest.StashKey[list["ClusterMock"]]()
_CACHE = pytest.StashKey[dict[tuple[Any, ...], "Mock"]]()


@dataclass(eq=False)
class ClusterMock:
    """What a test gets: the mock, where it answers, and clients that reach it in-process."""

    mock: Mock
    label: str
    strict: bool = True
    """When False, contract violations are recorded but do not fail the test."""
    _client: httpx.Client | None = field(default=None, repr=False)
    _async_client: httpx.AsyncClient | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        """The cluster's base URL (its contract's server URL); the clients below resolve it."""
        return str(self.mock.base_url)

    @property
    def transport(self) -> httpx.BaseTransport:
        """An httpx transport answered by the mock: give it to your own ``httpx.Client``."""
        return self.mock.transport()

    @property
    def async_transport(self) -> httpx.AsyncBaseTransport:
        return self.mock.async_transport()

    @property
    def client(self) -> httpx.Client:
        """An ``httpx.Client`` on ``base_url``, backed by the mock."""
        if self._client is None:
            self._client = self.mock.client()
        return self._client

    @property
    def async_client(self) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` on ``base_url``, backed by the mock."""
        if self._async_client is None:
            self._async_client = self.mock.async_client()
        return self._async_client

    @property
    def credentials(self) -> dict[str, str]:
        """Headers satisfying the cluster's declared security (every scope granted)."""
        return dict(self.mock.credentials())

    @property
    def violations(self) -> list[Violation]:
        return list(self.mock.violations)

    @property
    def events(self) -> list[Event]:
        """The events the cluster sent so far in this test (oldest first): what a programme
        subscribed to every channel would receive. Empty when the cluster has no events."""
        return self.mock.events.emitted if self.mock.events is not None else []

    def events_on(self, channel: str) -> list[Event]:
        """The events sent on ``channel`` (its address, e.g. ``hr.worker.hired``)."""
        return [event for event in self.events if event.channel == channel]

    @property
    def deliveries(self) -> list[Delivery]:
        """Each event's delivery to each subscriber: outcome, final status, attempts."""
        return self.mock.events.deliveries if self.mock.events is not None else []

    def subscribe(self, receiver: str | ASGIApp, channels: list[str] | None = None) -> Subscriber:
        """Deliver the cluster's events (those on ``channels``, else all) to the programme's
        receiver: an ASGI app (in process) or a URL. Delivery is synchronous: by the time
        the call that caused an event returns, the receiver has it (5xx and timeouts are
        retried at once, up to the retry policy's attempts)."""
        if self.mock.events is None:
            raise pytest.UsageError(
                f"interop: {self.label} publishes no events (give events='asyncapi.yaml')"
            )
        return self.mock.events.subscribe(receiver, channels)

    def conform_events(
        self,
        receiver: ASGIApp,
        consumer: str | Path,
        *,
        max_examples: int = 25,
        seed: int = 0,
        secret: str | None = None,
    ) -> RunResult:
        """``interop conform --events`` in process: the cluster's events that ``consumer``
        (the programme's AsyncAPI contract) accepts, generated and sent to ``receiver`` (an
        ASGI app); a 4xx/5xx answer is a ``conform.event.rejected`` finding of the result."""
        from interop.adapters.receivers import SyncASGITransport
        from interop.harness.conform import ConformOptions
        from interop.harness.conform.events import conform_events

        if self.mock.events is None:
            raise pytest.UsageError(f"interop: {self.label} publishes no events")
        provider = Path(self.mock.events.source.contract.file)
        transport = SyncASGITransport(receiver)
        try:
            return conform_events(
                Path(consumer),
                provider,
                transport=transport,
                secret=secret,
                options=ConformOptions(max_examples=max_examples, seed=seed),
            )
        finally:
            transport.close()

    def respx(self, base_url: str | None = None) -> respx.MockRouter:
        """A respx router answering ``base_url`` (default: the cluster's) with the mock."""
        return self.mock.respx_router(base_url)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("interop_cluster", "default cluster for the interop_cluster fixture", default="")
    parser.addini("interop_version", "cluster contract version (default: current)", default="")
    parser.addini("interop_spec", "provider contract file to mock instead of a cluster", default="")
    parser.addini(
        "interop_catalogue",
        "catalogue directory (default: $INTEROP_CATALOGUE, the repository's interop config, "
        "./contracts, else the bundled demo catalogue)",
        default="",
    )
    parser.addini("interop_seed", "seed of the mocks (default 0)", default="0")
    parser.addini(
        "interop_quirks",
        "replay the clusters' documented quirks (default true; false: contract behaviour only)",
        default="true",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "interop_cluster(cluster=None, *, version=None, spec=None, seed=None, strict=True, "
        "quirks=None, events=None): "
        "the cluster (or contract file) the interop_cluster fixture mocks",
    )


def _ini(config: pytest.Config, name: str) -> str:
    value = config.getini(name)
    return str(value).strip() if value else ""


@pytest.fixture
def interop_mock(request: pytest.FixtureRequest) -> Iterator[Callable[..., ClusterMock]]:
    """Factory: ``interop_mock("unity", version="2.4.0")`` or ``interop_mock(spec="api.yaml")``."""
    config = request.config
    made: list[ClusterMock] = []

    def factory(
        cluster: str | None = None,
        *,
        version: str | None = None,
        spec: str | Path | None = None,
        seed: int | None = None,
        faults: FaultConfig | None = None,
        strict: bool = True,
        quirks: bool | None = None,
        events: str | Path | bool | None = None,
    ) -> ClusterMock:
        from interop.adapters.mock import mock_for_cluster, mock_for_spec
        from interop.adapters.mock.publishing import cluster_events_contract

        chosen_seed = seed if seed is not None else int(_ini(config, "interop_seed") or 0)
        if quirks is None:
            quirks = _ini(config, "interop_quirks").lower() not in ("false", "0", "no", "off")
        catalogue = _ini(config, "interop_catalogue")
        if cluster is None and spec is None:
            spec = _ini(config, "interop_spec") or None
            cluster = _ini(config, "interop_cluster") or None
            version = version or _ini(config, "interop_version") or None
        if cluster is None and spec is None:
            raise pytest.UsageError(
                "interop: name a cluster (interop_mock('synergy'), the interop_cluster marker "
                "or the interop_cluster ini option) or a contract file (spec=...)"
            )
        events_file: Path | None = None
        if isinstance(events, (str, Path)):
            events_file = Path(events)
            if not events_file.is_absolute():
                events_file = Path(config.rootpath) / events_file
        if spec is not None:
            spec_path = Path(spec)
            if not spec_path.is_absolute():
                spec_path = Path(config.rootpath) / spec_path
            key: tuple[Any, ...] = ("spec", str(spec_path), chosen_seed, faults, quirks)
            label = str(spec)
        else:
            assert cluster is not None
            if events is None or events is True:
                events_file = cluster_events_contract(
                    cluster, version, Path(catalogue) if catalogue else None
                )
            key = ("cluster", cluster, version, catalogue, chosen_seed, faults, quirks)
            label = f"{cluster} {version}" if version else str(cluster)
        key = (*key, str(events_file) if events_file is not None else None)
        cache = config.stash.setdefault(_CACHE, {})
        in_use = {id(m.mock) for m in made}
        mock = cache.get(key)
        if mock is None or id(mock) in in_use:
            if spec is not None:
                mock = mock_for_spec(spec_path, seed=chosen_seed, faults=faults, quirks=quirks)
            else:
                assert cluster is not None
                mock = mock_for_cluster(
                    cluster,
                    version,
                    Path(catalogue) if catalogue else None,
                    seed=chosen_seed,
                    faults=faults,
                    quirks=quirks,
                )
            if events_file is not None:
                _attach_events(mock, events_file)
            cache.setdefault(key, mock)
        else:
            mock.reset()
            if mock.events is not None:
                _attach_events(mock, mock.events.source.contract)
        label = f"{label} ({mock.contract.file}, version {mock.contract.version})"
        handle = ClusterMock(mock, label, strict=strict)
        made.append(handle)
        request.node.stash.setdefault(_MOCKS, []).append(handle)
        return handle

    yield factory
    for handle in made:
        handle.close()


@pytest.fixture
def interop_cluster(
    request: pytest.FixtureRequest, interop_mock: Callable[..., ClusterMock]
) -> ClusterMock:
    """The mock of the cluster the ``interop_cluster`` marker (or ini option) names."""
    marker = request.node.get_closest_marker("interop_cluster")
    if marker is None:
        return interop_mock()
    cluster = marker.args[0] if marker.args else marker.kwargs.get("cluster")
    options = {k: v for k, v in marker.kwargs.items() if k != "cluster"}
    return interop_mock(cluster, **options)


def _attach_events(mock: Mock, events: Any) -> None:
    """Events delivered before the causing call returns; retries at once (no backoff)."""
    from interop.adapters.mock.delivery import RetryPolicy
    from interop.adapters.mock.publishing import attach_events

    attach_events(mock, events, policy=RetryPolicy(backoff_s=0.0), background=False)


def _report(handles: list[ClusterMock]) -> str | None:
    lines: list[str] = []
    total = 0
    for handle in handles:
        if not handle.strict or not handle.mock.violations:
            continue
        found = handle.mock.violations
        total += len(found)
        lines.append(f"  against {handle.label}:")
        lines.extend(f"    {line}" for violation in found[:20] for line in violation.lines())
        if len(found) > 20:
            lines.append(f"    ... and {len(found) - 20} more")
    if not total:
        return None
    head = f"interop: the code under test sent {total} request(s) that break the contract"
    return "\n".join([head, *lines])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    try:
        result = yield
    except BaseException:
        message = _report(item.stash.get(_MOCKS, []))
        if message is not None:
            item.add_report_section("call", "interop", message)
        raise
    message = _report(item.stash.get(_MOCKS, []))
    if message is not None:
        pytest.fail(message, pytrace=False)
    return result
