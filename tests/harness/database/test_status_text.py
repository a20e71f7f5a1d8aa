"""``interop status --format text``: never-run apart from stale, and each environment's states."""

from __future__ import annotations

import datetime as dt

from interop.harness.database.status import status_feed
from interop.harness.render.status import render_status_text

from .factory import BASE, make_result


def test_never_run_and_stale_are_two_lists_and_environments_say_why(store, catalogue):
    checked = sorted(catalogue.programmes)[0]
    pairs = [(checked, c, "compatible") for c in sorted(catalogue.programmes[checked].consumers)]
    store.record_run(make_result(pairs, started=BASE), kind="check")
    text = render_status_text(status_feed(store, catalogue, now=BASE + dt.timedelta(days=20)))
    never, stale = text.index("never run ("), text.index("stale evidence (1)")
    never_block = text[never:stale]
    assert f"programme {checked}:" not in never_block
    assert "programme ats: no check ever recorded" in never_block
    assert f"programme {checked}: last check 20 days ago" in text[stale:]
    total = len(catalogue.programmes) - 1 + len(catalogue.clusters)
    assert f"never run ({total}):" in text
    integrations = sum(len(e.consumers) for e in catalogue.programmes.values())
    assert (
        f"  sandbox: 0 of {integrations} (0%): 0 ready, 0 not verified, 0 incompatible, "
        f"{integrations} no evidence yet"
    ) in text
