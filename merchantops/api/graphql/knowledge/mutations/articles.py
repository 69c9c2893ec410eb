"""Articles: creating one (its first draft), new draft versions, publishing a version,
archiving and deleting."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import DeletePayload, UserError
from merchantops.api.graphql.core.ids import decode_id, decode_optional_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.knowledge.types import ArticleNode, ArticleVersionNode
from merchantops.domain.knowledge import articles

WRITE = TenantPermission("knowledge", "write")


@strawberry.input
class CreateArticleInput:
    category_id: strawberry.ID
    title: str
    body: str = strawberry.field(default="", description="Markdown.")
    slug: str = strawberry.field(default="", description="Made from the title when left out.")


@strawberry.input(
    description="A new draft version from the latest one; fields left out (or null) keep its "
    "values. The live version stays as it is until `publishArticle`."
)
class UpdateArticleDraftInput:
    id: strawberry.ID
    title: str | None = None
    body: str | None = None
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="Files the article elsewhere at once (not versioned)."
    )


@strawberry.input
class PublishArticleInput:
    id: strawberry.ID
    version: int | None = strawberry.field(
        default=None, description="The version to make live; the latest when left out."
    )


@strawberry.input
class ArticleIdInput:
    id: strawberry.ID


@strawberry.type
class ArticlePayload:
    article: ArticleNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ArticleDraftPayload:
    article: ArticleNode | None = None
    version: ArticleVersionNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ArticleMutation:
    @strawberry.mutation(extensions=[requires(WRITE)], description="A new article, in DRAFT.")
    async def create_article(self, input: CreateArticleInput) -> ArticlePayload:
        article = await articles.create_article(
            articles.ArticleSpec(
                decode_id(input.category_id, "ArticleCategory", "categoryId"),
                input.title,
                input.body,
                input.slug,
            )
        )
        return ArticlePayload(article=ArticleNode.from_model(article))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def update_article_draft(self, input: UpdateArticleDraftInput) -> ArticleDraftPayload:
        article_id = decode_id(input.id, "Article")
        version = await articles.update_draft(
            article_id,
            articles.DraftChanges(
                title=input.title,
                body=input.body,
                category_id=decode_optional_id(input.category_id, "ArticleCategory", "categoryId"),
            ),
        )
        article = await articles.get_article(article_id)
        return ArticleDraftPayload(
            article=ArticleNode.from_model(article),
            version=ArticleVersionNode.from_model(version),
        )

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Make a version the live one: readers see it and search finds it at once.",
    )
    async def publish_article(self, input: PublishArticleInput) -> ArticlePayload:
        article = await articles.publish_article(decode_id(input.id, "Article"), input.version)
        return ArticlePayload(article=ArticleNode.from_model(article))

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Out of search and out of readers' sight; publishing brings it back.",
    )
    async def archive_article(self, input: ArticleIdInput) -> ArticlePayload:
        article = await articles.archive_article(decode_id(input.id, "Article"))
        return ArticlePayload(article=ArticleNode.from_model(article))

    @strawberry.mutation(extensions=[requires(WRITE)], description="With every version.")
    async def delete_article(self, input: ArticleIdInput) -> DeletePayload:
        await articles.delete_article(decode_id(input.id, "Article"))
        return DeletePayload(deleted_id=input.id)


__all__ = ["ArticleMutation", "ArticlePayload"]
