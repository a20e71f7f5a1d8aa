"""Walking a list page by page, as the consumer declares it: by offset, or by next links.

A page whose items were all seen before is ``conform.pagination``: the consumer would loop, or
read duplicates instead of the rest of the list (``docs/conform.md``, "Pages").
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..openapi import Operation
from ..verify.findings import Observation
from ..verify.generation import build_request
from ..verify.transport import SentRequest
from .cases import USER_AGENT, accept_header, as_conform, required_query, same_origin, with_query
from .inference import items_of, next_link, paging_of, says_more

if TYPE_CHECKING:
    from .session import PairSession

__all__ = ["MAX_PAGES", "walk_pages"]

MAX_PAGES = 20


def walk_pages(session: PairSession, spec: Operation) -> None:
    """Page through a list as the consumer declares it: by offset, or by next links."""
    base = session.successes[spec.key]
    paging = paging_of(spec)
    query = required_query(spec, base)
    if paging is not None and paging.limit is not None:
        query[paging.limit] = paging.page_size
    seen: dict[str, int] = {}
    previous: list[Any] | None = None
    offset = 0
    url: str | None = None
    described: list[str] = []
    for page in range(MAX_PAGES):
        if paging is not None:
            query[paging.offset] = offset
            request = build_request(
                with_query(base, query), session.base_url, session.headers_for(spec)
            )
            described.append(f"{paging.offset}={offset}")
        elif url is not None:
            headers = (("User-Agent", USER_AGENT), *session.headers_for(spec))
            request = SentRequest("GET", url, tuple(headers))
            described.append("next link")
        elif page == 0:
            request = build_request(
                with_query(base, query), session.base_url, session.headers_for(spec)
            )
            described.append("first page")
        else:
            return
        if request is None:
            return
        exchange = session.send(as_conform(request, accept_header(spec)))
        if exchange is None or exchange.status is None:
            return
        if not 200 <= exchange.status < 300:
            session.observations.extend(session.judge.judge(spec, exchange))
            return
        try:
            body = exchange.json()
        except ValueError:
            return
        items = items_of(body)
        if not items:
            return
        signatures = [json.dumps(item, sort_keys=True) for item in items]
        repeated = [s for s in signatures if s in seen]
        if page > 0 and (items == previous or len(repeated) == len(signatures)):
            walk = ", ".join(described)
            first = seen[repeated[0]]
            session.observations.append(
                Observation(
                    "conform.pagination",
                    spec.key,
                    ("repeat",),
                    f"{spec.key}: paging as the consumer does ({walk}), page {page + 1} "
                    f"returned the same {len(items)} item(s) as page {first + 1}: the "
                    "consumer would loop or read duplicates instead of the rest of the list",
                    exchange,
                    location=spec.source,
                )
            )
            return
        for signature in signatures:
            seen.setdefault(signature, page)
        previous = items
        if paging is not None:
            if len(items) < paging.page_size and not says_more(body):
                return
            offset += len(items)
        else:
            link = next_link(body)
            url = same_origin(link, request.url, session.base_url) if link else None
            if url is None:
                return
