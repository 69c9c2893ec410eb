"""Knowledge-base categories: creating, changing, deleting (empty ones only)."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.knowledge.types import ArticleCategoryNode
from merchantops.domain.knowledge import categories

WRITE = TenantPermission("knowledge", "write")


@strawberry.input
class CreateArticleCategoryInput:
    name: str
    slug: str = strawberry.field(default="", description="Made from the name when left out.")
    position: int = 0


@strawberry.input(description="Fields left out (or null) stay as they are.")
class UpdateArticleCategoryInput:
    id: strawberry.ID
    name: str | None = None
    slug: str | None = None
    position: int | None = None


@strawberry.input
class DeleteArticleCategoryInput:
    id: strawberry.ID


@strawberry.type
class ArticleCategoryPayload:
    category: ArticleCategoryNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ArticleCategoryMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_article_category(
        self, input: CreateArticleCategoryInput
    ) -> ArticleCategoryPayload:
        category = await categories.create_category(input.name, input.slug, input.position)
        return ArticleCategoryPayload(category=ArticleCategoryNode.from_model(category))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_article_category(
        self, input: UpdateArticleCategoryInput
    ) -> ArticleCategoryPayload:
        category = await categories.update_category(
            decode_id(input.id, "ArticleCategory"),
            categories.CategoryChanges(name=input.name, slug=input.slug, position=input.position),
        )
        return ArticleCategoryPayload(category=ArticleCategoryNode.from_model(category))

    @strawberry.mutation(
        extensions=[requires(WRITE)], description="Only a category holding no articles."
    )
    async def delete_article_category(self, input: DeleteArticleCategoryInput) -> DeletePayload:
        await categories.delete_category(decode_id(input.id, "ArticleCategory"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["ArticleCategoryMutation", "ArticleCategoryPayload"]
