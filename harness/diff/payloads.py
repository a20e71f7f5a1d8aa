"""Standalone JSON Schema (file and batch records): a record NEW admits that OLD did not breaks
readers (``payload.widened``, with the record as the witness); the reverse narrows what is
written (``payload.narrowed``, not breaking). Judged by the engine as ``check`` judges a
payload pair, with OLD as the reader (``judged.forward``)."""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from ..compat.payloads import check_payload
from .judged import backward, forward, record

if TYPE_CHECKING:
    from ..loading import LoadedContract
    from .comparison import Comparison

__all__ = ["PAYLOAD_DIFF_RULES", "payload_changes", "payload_label"]

PAYLOAD_DIFF_RULES = ("payload.widened", "payload.narrowed")


def payload_label(contract: LoadedContract) -> str:
    """``PAYLOAD <title>`` (else its ``$id``, else the file's name), as ``check`` names it."""
    document = contract.document
    title = document.get("title") or document.get("$id") or PurePath(contract.file).stem
    return f"PAYLOAD {title}"


def payload_changes(comparison: Comparison) -> None:
    """Record on ``comparison`` how the record schema changed, in both directions."""
    label = payload_label(comparison.new.contract)
    role = "a reader of"
    for ctx, reverse in ((forward(comparison, role), False), (backward(comparison, role), True)):
        check_payload(ctx)
        for finding in ctx.findings:
            undecided = finding.rule in ("schema.undecided", "schema.generation-failed")
            if undecided and reverse:
                continue
            if undecided:
                rule = finding.rule
            else:
                rule = "payload.narrowed" if reverse else "payload.widened"
            record(
                comparison,
                finding,
                rule=rule,
                breaking=not reverse,
                side="payload",
                operation=label,
                reversed_roles=reverse,
            )
