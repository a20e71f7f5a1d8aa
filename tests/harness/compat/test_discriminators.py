"""Discriminators read once (``schema.py``: explicit and implicit mappings) and judged with
OpenAPI semantics (``compat/discriminators.py``: the tag picks the one schema)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from interop.harness.compat.discriminators import BASE_SUFFIX, dispatched, mapping_of
from interop.harness.loading import load_document
from interop.harness.schema import CompiledValidator, SchemaSet

TAG = {"type": "string"}


def _set(schemas: dict[str, Any]) -> SchemaSet:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return SchemaSet(load_document(doc))


def _pet(**extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["petType"],
        "properties": {"petType": TAG, **extra},
    }


UNION = {
    "Pet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {"propertyName": "petType", "mapping": {"dog": "Dog"}},
    },
    "Cat": _pet(name={"type": "string", "maxLength": 3}),
    "Dog": _pet(bark={"type": "boolean"}),
}
BASE = {
    "Pet": {**_pet(), "discriminator": {"propertyName": "petType"}},
    "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"required": ["name"]}]},
    "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"bark": TAG}}]},
}


def test_the_mapping_is_read_whole_explicit_entries_first_then_branch_names() -> None:
    document = _set(UNION).schema("/components/schemas/Pet")
    found = mapping_of(document["$defs"]["Pet"])
    assert found == ("petType", {"dog": "#/$defs/Dog", "Cat": "#/$defs/Cat"})
    # Dog is named by its explicit tag only; every target is carried in $defs.
    assert {"Cat", "Dog"} <= set(document["$defs"])


def test_a_base_maps_the_schemas_that_extend_it() -> None:
    document = _set(BASE).schema("/components/schemas/Pet")
    found = mapping_of(document["$defs"]["Pet"])
    assert found == ("petType", {"Cat": "#/$defs/Cat", "Dog": "#/$defs/Dog"})


def test_a_mapping_that_does_not_resolve_is_kept_as_written_and_not_dispatched() -> None:
    broken = {
        **UNION,
        "Pet": {
            **UNION["Pet"],
            "discriminator": {
                "propertyName": "petType",
                "mapping": {"cow": "#/components/schemas/Cow"},
            },
        },
    }
    document = _set(broken).schema("/components/schemas/Pet")
    assert mapping_of(document["$defs"]["Pet"]) is None
    assert dispatched(document) is document


def test_dispatch_on_a_union_reads_the_tag_not_every_branch() -> None:
    validator = CompiledValidator(dispatched(_set(UNION).schema("/components/schemas/Pet")))
    assert validator.is_valid({"petType": "Cat", "name": "Tom"})
    assert validator.is_valid({"petType": "dog", "bark": True})
    # JSON Schema's oneOf reads this as a Dog (and as a Cat: two matches, refused); the tag
    # says Cat, whose name is too long.
    assert not validator.is_valid({"petType": "Cat", "name": "Felix"})
    assert not validator.is_valid({"petType": "Dog"})  # explicitly mapped as "dog"
    assert not validator.is_valid({"name": "Tom"})  # no tag, no schema


def test_dispatch_on_a_base_reaches_its_children_without_dispatching_again() -> None:
    document = dispatched(_set(BASE).schema("/components/schemas/Pet"))
    assert "Pet" + BASE_SUFFIX in document["$defs"]
    validator = CompiledValidator(document)
    assert validator.is_valid({"petType": "Dog", "bark": "woof"})
    assert not validator.is_valid({"petType": "Cat"})  # a Cat needs a name
    assert not validator.is_valid({"petType": "Pet"})  # the base is not one of its tags
    assert not validator.is_valid({"petType": "Lizard", "name": "Liz"})


@given(
    tag=st.sampled_from(["Cat", "dog", "Dog", "Lizard", ""]),
    name=st.one_of(st.none(), st.text(max_size=5)),
    bark=st.one_of(st.none(), st.booleans(), st.integers()),
)
def test_a_value_passes_the_dispatch_exactly_when_its_tags_schema_accepts_it(
    tag: str, name: str | None, bark: Any
) -> None:
    schemas = _set(UNION)
    document = schemas.schema("/components/schemas/Pet")
    value: dict[str, Any] = {"petType": tag}
    if name is not None:
        value["name"] = name
    if bark is not None:
        value["bark"] = bark
    targets = {"Cat": "/components/schemas/Cat", "dog": "/components/schemas/Dog"}
    expected = tag in targets and schemas.validator(targets[tag]).is_valid(value)
    assert CompiledValidator(dispatched(document)).is_valid(value) is expected
