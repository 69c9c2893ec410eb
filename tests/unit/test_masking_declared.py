"""Every GraphQL field backed by a classified model field is masked: the schema is walked, and
a node type named like a model exposing one of the model's `CLASSIFIED` fields without the
masking extension fails the build of this test, whatever area it is in."""

from __future__ import annotations

import strawberry
from graphql import GraphQLObjectType, GraphQLSchema
from strawberry import relay
from strawberry.types.field import StrawberryField
from tortoise.models import Model

from merchantops import bootstrap
from merchantops.api.graphql.core.masking import Classified, masked
from merchantops.api.graphql.schema import build_schema
from merchantops.settings import Settings
from merchantops.tenants.models import User


def classified_models() -> dict[str, type[Model]]:
    import importlib
    import inspect

    found: dict[str, type[Model]] = {}
    for module_name in bootstrap.model_modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, Model) and "CLASSIFIED" in vars(value):
                found[name] = value
    return found


def unmasked_fields(schema: GraphQLSchema, models: dict[str, type[Model]]) -> list[str]:
    """`Type.field` for every field of a type named like a model that exposes one of the
    model's classified fields without `Classified`."""
    found = []
    for type_name, graphql_type in schema.type_map.items():
        model = models.get(type_name)
        if model is None or not isinstance(graphql_type, GraphQLObjectType):
            continue
        for field_name, field in graphql_type.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            python_name = getattr(definition, "python_name", field_name)
            if python_name not in model.CLASSIFIED:  # type: ignore[attr-defined]
                continue
            extensions = getattr(definition, "extensions", [])
            if not any(isinstance(extension, Classified) for extension in extensions):
                found.append(f"{type_name}.{field_name}")
    return found


def test_every_classified_model_field_the_api_exposes_is_masked() -> None:
    schema = build_schema(Settings())._schema
    models = classified_models()

    assert {"User", "Product", "SupplierContact"} <= set(models)
    assert unmasked_fields(schema, models) == []


@strawberry.type(name="User")
class LeakyUser(relay.Node):
    id: relay.NodeID[str]
    email: str
    full_name: str | None = masked(User)


@strawberry.type
class LeakyQuery:
    user: LeakyUser | None = None


def test_the_walk_finds_a_classified_field_exposed_plainly() -> None:
    schema = strawberry.Schema(query=LeakyQuery)._schema

    assert unmasked_fields(schema, {"User": User}) == ["User.email"]


def test_a_masked_field_takes_its_classification_from_the_model() -> None:
    field = masked(User)
    assert isinstance(field, StrawberryField)
    (extension,) = field.extensions
    field.python_name = "email"
    extension.apply(field)
    assert isinstance(extension, Classified)
    assert extension.classification.value == "confidential_personal"
    assert extension.entity == "user_account"
