"""The knowledge base's node types, search results and figures."""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry import relay

from merchantops.api.graphql.core.context import Info
from merchantops.domain.knowledge import models
from merchantops.domain.knowledge.search import SearchResult
from merchantops.domain.knowledge.stats import KnowledgeStats
from merchantops.tenants.global_ids import global_id

ArticleStatus = strawberry.enum(models.ArticleStatus, name="ArticleStatus")


@strawberry.type(name="ArticleCategory", description="A section of the knowledge base.")
class ArticleCategoryNode(relay.Node):
    id: relay.NodeID[str]
    name: str
    slug: str
    position: int

    @classmethod
    def from_model(cls, category: models.ArticleCategory) -> Self:
        return cls(
            id=str(category.id),
            name=category.name,
            slug=category.slug,
            position=category.position,
        )


@strawberry.type(name="ArticleVersion", description="One edit of an article.")
class ArticleVersionNode(relay.Node):
    id: relay.NodeID[str]
    number: int
    title: str
    body: str = strawberry.field(description="Markdown.")
    author: str = strawberry.field(description="Who wrote it (`user:<id>` or `api_key:<id>`).")
    created_at: datetime

    @classmethod
    def from_model(cls, version: models.ArticleVersion) -> Self:
        return cls(
            id=str(version.id),
            number=version.number,
            title=version.title,
            body=version.body,
            author=version.author,
            created_at=version.created_at,
        )


@strawberry.type(
    name="Article",
    description="A knowledge-base article. `title` and `body` are the live version's (for an "
    "article never published, its latest draft's); drafts are in `versions`.",
)
class ArticleNode(relay.Node):
    id: relay.NodeID[str]
    slug: str
    status: models.ArticleStatus
    title: str
    body: str = strawberry.field(description="Markdown.")
    published_version: int | None = strawberry.field(description="The live version's number.")
    latest_version: int
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    category_id: strawberry.Private[str]

    @strawberry.field(description="A newer version than the live one waits to be published.")
    def has_unpublished_changes(self) -> bool:
        return self.published_version != self.latest_version

    @strawberry.field
    async def category(self, info: Info) -> ArticleCategoryNode | None:
        found = await info.context.loaders.by_id(models.ArticleCategory).load(self.category_id)
        return ArticleCategoryNode.from_model(found) if found else None

    @strawberry.field(description="Every version, the newest first.")
    async def versions(self, info: Info) -> list[ArticleVersionNode]:
        rows = await info.context.loaders.grouped(
            models.ArticleVersion, "article_id", "-number"
        ).load(self.id)
        return [ArticleVersionNode.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, article: models.Article) -> Self:
        return cls(
            id=str(article.id),
            slug=article.slug,
            status=article.status,
            title=article.title,
            body=article.body,
            published_version=article.published_version,
            latest_version=article.latest_version,
            published_at=article.published_at,
            created_at=article.created_at,
            updated_at=article.updated_at,
            category_id=str(article.category_id),
        )


@strawberry.type(description="An article found by a search.")
class ArticleSearchHit:
    article: ArticleNode
    rank: float = strawberry.field(description="Higher is better; compare within one search.")
    snippet: str = strawberry.field(
        description="Where the words were found: HTML-escaped text, the words in <mark>."
    )


@strawberry.type(description="A search's results, best first, and the id it was logged under.")
class ArticleSearchResult:
    search_id: strawberry.ID = strawberry.field(
        description="Pass it to `recordArticleView` when the searcher opens a result."
    )
    results: list[ArticleSearchHit]

    @classmethod
    def from_result(cls, found: SearchResult) -> Self:
        return cls(
            search_id=strawberry.ID(global_id("KnowledgeSearch", found.search.id)),
            results=[
                ArticleSearchHit(
                    article=ArticleNode.from_model(hit.article), rank=hit.rank, snippet=hit.snippet
                )
                for hit in found.hits
            ],
        )


@strawberry.type
class ZeroResultQuery:
    query: str = strawberry.field(description="Lower-cased, blanks collapsed.")
    searches: int


@strawberry.type(
    description="Knowledge-base searches of a period (staff searches of drafts left out). "
    "deflectionRate = searchesWithoutTicket / searches: the share of searches after which no "
    "ticket was opened (null without searches)."
)
class KnowledgeStatsNode:
    searches: int
    zero_result_searches: int
    searches_with_opened_article: int
    searches_without_ticket: int
    deflection_rate: float | None
    top_zero_result_queries: list[ZeroResultQuery] = strawberry.field(
        description="The ten queries that most often found nothing."
    )

    @classmethod
    def from_stats(cls, stats: KnowledgeStats) -> Self:
        return cls(
            searches=stats.searches,
            zero_result_searches=stats.zero_result_searches,
            searches_with_opened_article=stats.searches_with_opened_article,
            searches_without_ticket=stats.searches_without_ticket,
            deflection_rate=stats.deflection_rate,
            top_zero_result_queries=[
                ZeroResultQuery(query=row.query, searches=row.searches)
                for row in stats.top_zero_result_queries
            ],
        )


__all__ = [
    "ArticleCategoryNode",
    "ArticleNode",
    "ArticleSearchHit",
    "ArticleSearchResult",
    "ArticleStatus",
    "ArticleVersionNode",
    "KnowledgeStatsNode",
    "ZeroResultQuery",
]
