"""Which paths are collections of which records: the mock's resources, found in the contract.

A collection is a list ``GET /x`` whose response holds an array, and/or an item path
``/x/{id}`` (also OData's ``/X('{id}')``); ``POST /x`` creates into it, ``PATCH``/``PUT``/
``DELETE`` on the item path change it. The id field is the fixture's ``id_field``, else the item
path parameter's name, else ``id``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .operations import Operation, find_id_field, item_template
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
    for template, (parent, param) in item_of.items():
        if "GET" in by_template[template] or parent in collections:
            list_op = collections.get(parent, (None, None, None))[0]
            collections[parent] = (list_op, template, param)
    for parent, (list_op, item_path, id_name) in sorted(collections.items()):
        _make_collection(mock, parent, list_op, item_path, id_name, by_template)
    # Operations under an item path (sub-resources, actions) 404 on an unknown parent.
    for operation in mock.operations:
        if operation.collection is not None:
            continue
        for collection in mock.store:
            item = collection.item_template
            if item and operation.template.startswith(item + "/"):
                operation.parent_collection = collection
                operation.parent_param = collection.id_param_name
                break


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
    id_field, id_shape = find_id_field(views, param)
    seed_shape = views[0] if views else None
    collection = Collection(
        template=template,
        id_field=id_field,
        id_shape=id_shape,
        id_param=id_param_shape,
        seed=mock.seed,
        seed_shape=seed_shape,
    )
    collection.item_template = item
    collection.id_param_name = param
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
        for record in fixture.records:
            collection.add_fixture(record)
