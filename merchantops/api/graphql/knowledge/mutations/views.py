"""A searcher opened one of a search's results: what the deflection figures count."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.core.errors import UserError
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.domain.knowledge import search

READ = TenantPermission("knowledge", "read")


@strawberry.input
class RecordArticleViewInput:
    search_id: strawberry.ID = strawberry.field(description="`searchArticles`' searchId.")
    article_id: strawberry.ID = strawberry.field(description="One of that search's results.")


@strawberry.type
class RecordArticleViewPayload:
    recorded: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ArticleViewMutation:
    @strawberry.mutation(
        extensions=[requires(READ)],
        description="The searcher opened a result (the first one opened is kept).",
    )
    async def record_article_view(self, input: RecordArticleViewInput) -> RecordArticleViewPayload:
        await search.record_view(
            decode_id(input.search_id, "KnowledgeSearch", "searchId"),
            decode_id(input.article_id, "Article", "articleId"),
        )
        return RecordArticleViewPayload(recorded=True)


__all__ = ["ArticleViewMutation"]
