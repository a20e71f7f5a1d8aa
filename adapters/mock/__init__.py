"""Cluster mocks: stateful, validating, seeded, fault-injecting mocks built from contracts.

```python
mock = mock_for_cluster("synergy")              # contract + fixtures + dialect from the catalogue
client = httpx.Client(transport=mock.transport(), base_url=mock.base_url)
client.get("/workers", headers={"Authorization": "Bearer t"})
serve(mock, port=8000)                          # the same mock over HTTP (uvicorn)
```
"""

from __future__ import annotations

from .asgi import create_app, running, serve
from .build import build_mock, mock_for_cluster, mock_for_spec
from .core import Mock, MockAuth
from .dialects import DIALECTS, Dialect
from .faults import FAULT_HEADER, Fault, FaultConfig, parse_fault_header
from .model import Exchange, MockRequest, MockResponse, Violation
from .quirks import QUIRK_HEADER, Quirk

__all__ = [
    "DIALECTS",
    "FAULT_HEADER",
    "QUIRK_HEADER",
    "Dialect",
    "Exchange",
    "Fault",
    "FaultConfig",
    "Mock",
    "MockAuth",
    "MockRequest",
    "MockResponse",
    "Quirk",
    "Violation",
    "build_mock",
    "create_app",
    "mock_for_cluster",
    "mock_for_spec",
    "parse_fault_header",
    "running",
    "serve",
]
