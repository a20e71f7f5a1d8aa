"""Two versions of a provider contract into classified changes: what would break consumers.

For cluster teams, before they publish. ``diff(old, new)`` treats OLD as the most demanding
consumer compatible with it (it may send every request OLD accepts, and handles exactly the
responses OLD may return) and asks the compatibility engine's static reasoning
(``compat.subset.compare`` over ``compat.shapes`` trees, the same trees ``interop check`` builds)
whether NEW still serves it. A change is *breaking* exactly when such a consumer would get an
error-severity finding from ``interop check``; its rule id is that finding's rule. (Response
media types are negotiated, so there the most demanding consumer reads only one of OLD's types.
One deliberate exception: a request input OLD declares and NEW does not is breaking, with a
diff-only rule, although ``check`` only warns about an undeclared input; see docs/rules.md.)
The reverse comparison (NEW as producer, OLD as acceptor) names what was relaxed, as
non-breaking changes.

What generic diff tools get wrong and this does not: schemas are compared by meaning, after
``$ref`` inlining and 3.0/3.1 normalisation, so ``$ref`` refactoring, key order, descriptions,
examples and ``nullable`` versus ``type: [..., "null"]`` are not changes; path parameters pair
up by position, so a rename with the same template is not a change; a change inside a shared
component is reported against every operation that reaches it and once for the component.
Operations whose resolved content is identical are skipped without comparison, which keeps a
diff of two 1 MB contracts well under a second.

Both contracts are read through the contract model (``openapi.contract_model``): operations pair
up by ``Operation.route``, and the classifiers read its parameters, bodies, responses and
effective security, and hand each pair of schemas to the engine's trees as above.

The package, by job: ``run`` (the entry points) walks ``operations`` on a ``comparison`` (the two
sides, their models and the changes recorded so far); ``parameters``, ``bodies``, ``responses`` and
``security`` classify each operation's parts; ``schemas`` compares two schemas, with
``undecided`` and ``removed_properties`` for what ``compare`` cannot see and ``descriptions`` for
the messages; ``canonical`` fingerprints identical parts away; ``locating`` turns instance paths
into pointers; ``keywords`` holds the shared vocabulary; ``result`` the ``DiffResult``.

Beside the API, by the documents' kind (two kinds is a ``UsageError``): ``webhooks`` (OpenAPI 3.1
webhooks and callbacks), ``events`` (AsyncAPI 2.6/3.0) and ``payloads`` (JSON Schema records)
ask the engine's own crossings (``compat.compare_schemas``, ``check_delivery``,
``check_payload``) with OLD in the consumer's place, in the direction each message travels;
``judged`` turns their findings into changes, with the counterexample as the witness.
"""

from __future__ import annotations

from .result import DiffResult, DistinctChange
from .run import diff, diff_files, diff_versions

__all__ = ["DiffResult", "DistinctChange", "diff", "diff_files", "diff_versions"]
