"""``interop verify``: does a running sandbox honour its published provider contract?

```python
from interop.harness.loading import load_contract
from interop.harness.verify import verify

result = verify(
    load_contract("contracts/clusters/matrix/3.1.0.yaml"),
    base_url="https://matrix.sandbox.example",
    headers=[("Authorization", "Bearer ...")],
)
```
See ``docs/verify.md`` for the checks, the rule ids and how secrets are kept out of reports.
"""

from __future__ import annotations

from .redaction import Redactor, placeholder_for
from .run import Progress, parse_header, verify

__all__ = ["Progress", "Redactor", "parse_header", "placeholder_for", "verify"]
