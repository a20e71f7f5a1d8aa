"""``interop conform``: consumer contracts sent as live, property-based traffic.

```python
from interop.harness.catalogue import load_catalogue
from interop.harness.conform import ConformOptions, conform

result = conform(load_catalogue(), programmes=["rostering"], options=ConformOptions(seed=1))
```
Each programme's consumer contract generates requests (schemathesis, seeded, shrinking to a
minimal failing request) that go to the cluster's mock in-process, or to a sandbox
(``base_url``); the answers are judged as the consumer reads them, with create -> read-back
sequences, OpenAPI links and list pagination followed. See ``docs/conform.md``.
"""

from __future__ import annotations

from .run import ConformOptions, conform, conform_files, plan_files, plan_pairs
from .session import Budget, PlannedRequest

__all__ = [
    "Budget",
    "ConformOptions",
    "PlannedRequest",
    "conform",
    "conform_files",
    "plan_files",
    "plan_pairs",
]
