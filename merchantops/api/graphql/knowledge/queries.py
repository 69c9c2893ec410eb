"""The knowledge base's queries: categories, articles, one article, search and its figures.

`searchArticles` logs every search (its id comes back for `recordArticleView`); searching
drafts too (`includeDrafts`) is editorial work and needs `knowledge:write`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.pagination import EVERY_ROW, Connection, Page, paged, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.knowledge.filters import ArticleFilter
from merchantops.api.graphql.knowledge.types import (
    ArticleCategoryNode,
    ArticleNode,
    ArticleSearchResult,
    KnowledgeStatsNode,
)
from merchantops.domain.knowledge import search, stats
from merchantops.domain.knowledge.models import Article, ArticleCategory

READ = TenantPermission("knowledge", "read")
WRITE = TenantPermission("knowledge", "write")


@strawberry.type
class KnowledgeQuery:
    @strawberry.field(extensions=[requires(READ)], description="Categories, by position.")
    async def article_categories(self) -> list[ArticleCategoryNode]:
        rows = await ArticleCategory.all().order_by("position", "name", "id")
        return [ArticleCategoryNode.from_model(row) for row in rows]

    @strawberry.field(extensions=[requires(READ)], description="Articles, by title.")
    @paged
    async def articles(
        self, info: Info, filter: ArticleFilter | None = None, page: Page = EVERY_ROW
    ) -> Connection[ArticleNode]:
        filter = filter or ArticleFilter()
        rows = Article.all()
        if filter.status is not None:
            rows = rows.filter(status=filter.status.value)
        if filter.category_id is not None:
            category = decode_id(filter.category_id, "ArticleCategory", "filter.categoryId")
            rows = rows.filter(category_id=category)
        return await paginate(
            info, rows.order_by("title", "id"), page, to_node=ArticleNode.from_model
        )

    @strawberry.field(extensions=[requires(READ)])
    async def article(self, info: Info, id: strawberry.ID) -> ArticleNode | None:
        found = await info.context.loaders.by_id(Article).load(decode_id(id, "Article"))
        return ArticleNode.from_model(found) if found else None

    @strawberry.field(
        extensions=[requires(READ)],
        description="Published articles matching the words, best first (drafts too with "
        "`includeDrafts`, which needs knowledge:write), at most `limit` (1-50; not a "
        "connection: a search is one answer, logged once). Words match in their other forms.",
    )
    async def search_articles(
        self, info: Info, query: str, limit: int = 10, include_drafts: bool = False
    ) -> ArticleSearchResult:
        if include_drafts:
            await WRITE.has_permission(None, info)
        channel = "partner" if info.context.principal.api_key is not None else "staff"
        found = await search.search_articles(
            query, limit=limit, include_drafts=include_drafts, channel=channel
        )
        return ArticleSearchResult.from_result(found)

    @strawberry.field(
        extensions=[requires(READ)],
        description="Searches from `from` (inclusive) to `to` (exclusive) and the deflection "
        "rate: searches after which no ticket was opened, over searches.",
    )
    async def knowledge_stats(
        self,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> KnowledgeStatsNode:
        return KnowledgeStatsNode.from_stats(await stats.knowledge_stats(from_, to))


__all__ = ["KnowledgeQuery"]
