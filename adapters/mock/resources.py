"""Which paths are collections of which records: the mock's resources, found in the contract.

A collection is a list ``GET /x`` whose response holds an array, and/or an item path
``/x/{id}`` (also OData's ``/X('{id}')``); ``POST /x`` creates into it, ``PATCH``/``PUT``/
``DELETE`` on the item path change it. The id field is the fixture's ``id_field``, else the item
path parameter's name, else ``id``.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING

from interop.harness.openapi.paths import template_key

from .envelopes import unwrapped
from .operations import Operation, find_id_field, item_template, path_params_of
from .shapes import Shape
from .state import Collection, FixtureCollection

if TYPE_CHECKING:
    from .core import Mock

__all__ = ["apply_fixtures", "plan_resources"]

log = logging.getLogger("interop.mock")


def plan_resources(mock: Mock) -> None:
    """Find the collections (list path, item path, id field) and bind operations to them."""
    by_template: dict[str, dict[str, Operation]] = {}
    for operation in mock.operations:
        by_template.setdefault(operation.template, {})[operation.method] = operation
    item_of: dict[str, tuple[str, str]] = {}
    for template in by_template:
        found = item_template(template)
        if found is not None:
            item_of[template] = found
    collections: dict[str, tuple[Operation | None, str | None, str | None]] = {}
    for template, methods in by_template.items():
        get = methods.get("GET")
        if get is not None and template not in item_of:
            reply = mock.reply(get, get.success_key() or "200")
            if reply is not None and reply.list_shape is not None and reply.items is not None:
                collections[template] = (get, None, None)
    # Several item paths may compete for one collection (Xero declares both
    # /PurchaseOrders/{PurchaseOrderID} and /PurchaseOrders/{PurchaseOrderNumber}): the
    # identifier is the parameter the most paths use (its sub-resources and actions name it
    # too), the first declared on a tie.
    usage = Counter(name for template in by_template for name in path_params_of(template))
    competing: dict[str, list[tuple[str, str]]] = {}
    for template, (parent, param) in item_of.items():
        if "GET" in by_template[template] or parent in collections:
            competing.setdefault(parent, []).append((template, param))
    for parent, options in competing.items():
        template, param = max(options, key=lambda option: usage[option[1]])
        list_op = collections.get(parent, (None, None, None))[0]
        collections[parent] = (list_op, template, param)
    for parent, (list_op, item_path, id_name) in sorted(collections.items()):
        _make_collection(mock, parent, list_op, item_path, id_name, by_template)
    # Operations under an item path (sub-collections, sub-resources, actions) are refused when
    # the parent does not exist; a sub-collection's records belong to a parent record. The
    # parent is found with parameter names erased: /balanceAccounts/{balanceAccountId}/sweeps
    # is under /balanceAccounts/{id}.
    for operation in mock.operations:
        enclosing = _enclosing(mock, operation.template)
        if enclosing is not None:
            operation.parent_collection, operation.parent_param = enclosing
    for collection in mock.store:
        enclosing = _enclosing(mock, collection.template + "/")
        if enclosing is not None and enclosing[0] is not collection:
            collection.parent, collection.parent_param = enclosing


def _enclosing(mock: Mock, template: str) -> tuple[Collection, str] | None:
    """The collection with the longest item path that ``template`` is under, and the name
    ``template`` gives the parent's id."""
    key = template_key(template.split("?", 1)[0]) + ("/" if template.endswith("/") else "")
    names = path_params_of(template)
    best: tuple[Collection, str] | None = None
    best_length = -1
    for collection in mock.store:
        item = collection.item_template
        if not (item and collection.id_param_name and key.startswith(template_key(item) + "/")):
            continue
        position = len(path_params_of(item)) - 1
        if len(item) > best_length and 0 <= position < len(names):
            best, best_length = (collection, names[position]), len(item)
    return best


def _make_collection(
    mock: Mock,
    template: str,
    list_op: Operation | None,
    item: str | None,
    param: str | None,
    by_template: dict[str, dict[str, Operation]],
) -> None:
    item_ops = by_template.get(item, {}) if item else {}
    read = item_ops.get("GET")
    views: list[Shape] = []
    if read is not None:
        reply = mock.reply(read, read.success_key() or "200")
        if reply is not None and reply.shape is not None:
            views.append(reply.shape)
    items_shape = None
    if list_op is not None:
        reply = mock.reply(list_op, list_op.success_key() or "200")
        if reply is not None and reply.items is not None:
            items_shape = reply.items
            views.append(items_shape)
    create = by_template.get(template, {}).get("POST")
    if create is not None:
        reply = mock.reply(create, create.success_key() or "201")
        if reply is not None and reply.shape is not None:
            views.append(reply.shape)
    id_param_shape = None
    if read is not None and param is not None:
        id_param_shape = next(
            (p.shape for p in read.params if p.location == "path" and p.name == param), None
        )
    # A record is stored as itself, and shown inside the envelope a response wraps it in.
    records = unwrapped(views, param)
    id_field, id_shape = find_id_field(records, param)
    seed_shape = _record_view(records, id_field)
    collection = Collection(
        template=template,
        id_field=id_field,
        id_shape=id_shape,
        id_param=id_param_shape,
        seed=mock.seed,
        seed_shape=seed_shape,
        max_records=mock.max_records,
    )
    collection.item_template = item
    collection.id_param_name = param
    collection.params = path_params_of(template)
    collection.views = tuple(views)
    mock.store.collections[template] = collection
    if list_op is not None:
        list_op.kind, list_op.collection = "list", collection
    if create is not None:
        create.kind, create.collection = "create", collection
    for method, kind in (("GET", "read"), ("PATCH", "update"), ("PUT", "replace")):
        op = item_ops.get(method)
        if op is not None:
            op.kind, op.collection, op.id_param = kind, collection, param
    op = item_ops.get("DELETE")
    if op is not None:
        op.kind, op.collection, op.id_param = "delete", collection, param


def _record_view(views: list[Shape], id_field: str | None) -> Shape | None:
    """The view that shows a record itself (not an envelope around it): the first with the id
    field, else the first. Records are seeded from it, and kept valid against it."""
    for view in views:
        props = view.view().get("properties")
        if id_field is not None and isinstance(props, dict) and id_field in props:
            return view
    return views[0] if views else None


def apply_fixtures(mock: Mock, fixtures: list[FixtureCollection]) -> None:
    """Load fixture records into the collections whose list path they name."""
    for fixture in fixtures:
        collection = mock.store.collections.get(fixture.path)
        if collection is None:
            log.info("fixtures: no collection %s in %s", fixture.path, mock.name)
            continue
        if fixture.id_field and collection.id_field != fixture.id_field:
            collection.id_field = fixture.id_field
            # New ids must have the fixture id field's type (an int64 RechargeId, not a code).
            found, shape = find_id_field(list(collection.views), fixture.id_field)
            collection.id_shape = shape if found == fixture.id_field else None
            collection.forget_id_plan()
        for record in fixture.records:
            collection.add_fixture(record)
        # What exists is what the fixtures list, or as many generated records as they ask.
        collection.seed_count = (
            fixture.seed_size if fixture.seed_size is not None else len(fixture.records)
        )
