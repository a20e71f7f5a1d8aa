"""Judging one answer as the consumer would: observations with ``conform.*`` rules.

- no answer (timeout, reset): ``conform.transport``; a 5xx: ``conform.server-error``;
- a 4xx to a request the consumer contract allows: ``conform.request.rejected``, with the
  cluster's error body, except a 404 for an identifier the run made up (nothing has that id),
  (or a 412 for an ETag it made up), which is judged like any other answer: the consumer must
  handle it and be able to read it;
- a status the consumer does not handle (no exact, ``4XX`` or ``default`` response): an error
  for 2xx (as in ``check``), a warning otherwise;
- a handled status: the consumer's declared headers, media types and (open) schemas, through
  verify's response checks with the consumer's contract as the reader.
"""

from __future__ import annotations

import dataclasses

from ..loading import LoadedContract, join_pointer
from ..openapi import Operation
from ..results import Severity
from ..verify.checks import ResponseChecker
from ..verify.findings import Observation
from ..verify.transport import Exchange

__all__ = ["ConsumerJudge"]

_RULES = {
    "verify.response-timeout": "conform.transport",
    "verify.transport": "conform.transport",
    "verify.server-error": "conform.server-error",
    "verify.status-code": "conform.response.status",
    "verify.content-type": "conform.response.media-type",
    "verify.response-schema": "conform.response.schema",
    "verify.response-header": "conform.response.header",
    "verify.response-malformed": "conform.response.malformed",
    "verify.response-too-large": "conform.response.too-large",
}


class ConsumerJudge:
    """Judges answers against one consumer contract."""

    def __init__(self, consumer: LoadedContract) -> None:
        self.consumer = consumer
        self.checker = ResponseChecker(consumer, reader=True)

    def judge(
        self, spec: Operation, exchange: Exchange, *, made_up: frozenset[str] = frozenset()
    ) -> list[Observation]:
        """Every problem the consumer would have with ``exchange``'s answer.

        ``made_up``: what in the request the run invented rather than learnt from the cluster
        (``"identifier"``: a path parameter; ``"etag"``: an ``If-Match`` value). A 404/410 for
        an invented identifier, or a 412 for an invented ETag, is the cluster doing its job:
        the answer is judged as one the consumer must handle, not as a refusal."""
        status = exchange.status
        problem = exchange.problem
        if (problem is not None and problem.kind != "too-large") or status is None:
            return self._renamed(self.checker.check(spec, exchange))
        location = spec.source
        if status >= 500:
            return [
                Observation(
                    "conform.server-error",
                    spec.key,
                    (status,),
                    f"{spec.key}: the cluster answered {status} (a server error) to a request "
                    f"the consumer may send{_detail(exchange)}",
                    exchange,
                    location=location,
                )
            ]
        tolerated = (status in (404, 410) and "identifier" in made_up) or (
            status in (412, 428) and "etag" in made_up
        )
        if 400 <= status < 500 and not tolerated:
            return [
                Observation(
                    "conform.request.rejected",
                    spec.key,
                    (status,),
                    f"{spec.key}: the cluster refused with {status} a request the consumer "
                    f"contract allows{_detail(exchange)}",
                    exchange,
                    location=location,
                )
            ]
        if spec.response_for(status) is None:
            codes = ", ".join(r.status for r in spec.responses) or "none"
            return [
                Observation(
                    "conform.response.status",
                    spec.key,
                    (status,),
                    f"{spec.key}: the cluster answered {status}, which the consumer does not "
                    f"handle (it handles: {codes})",
                    exchange,
                    location=self.consumer.location(join_pointer(spec.pointer, "responses")),
                    severity=None if 200 <= status < 300 else Severity.WARNING,
                )
            ]
        return self._renamed(self.checker.check(spec, exchange))

    def body_errors(self, spec: Operation, exchange: Exchange) -> list[Observation]:
        """The schema problems of a 2xx answer only (used for read-backs and pages)."""
        return [o for o in self.judge(spec, exchange) if o.rule != "conform.request.rejected"]

    @staticmethod
    def _renamed(observations: list[Observation]) -> list[Observation]:
        renamed = []
        for observation in observations:
            rule = _RULES.get(observation.rule, observation.rule)
            message = observation.message.replace(
                "breaks the contract", "breaks the consumer's schema"
            )
            renamed.append(dataclasses.replace(observation, rule=rule, message=message))
        return renamed


def _detail(exchange: Exchange) -> str:
    if not exchange.body:
        return ""
    text = " ".join(exchange.body[:300].decode("utf-8", errors="replace").split())
    return f": {text}"
