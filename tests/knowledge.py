"""Knowledge-base helpers the tests share: a category and published articles."""

from __future__ import annotations

from merchantops.domain.knowledge import articles, categories
from merchantops.domain.knowledge.models import Article, ArticleCategory


async def make_category(name: str = "Returns & refunds") -> ArticleCategory:
    return await categories.create_category(name)


async def published(category: ArticleCategory, title: str, body: str, *, slug: str = "") -> Article:
    article = await articles.create_article(
        articles.ArticleSpec(category.id, title, body, slug=slug)
    )
    return await articles.publish_article(article.id)


__all__ = ["make_category", "published"]
