"""The knowledge base's events. Their bodies carry ids, statuses and version numbers."""

from __future__ import annotations

EVENTS: tuple[str, ...] = (
    "article.created",
    "article.published",
    "article.archived",
    "article.deleted",
)
# What its stored records call its objects -> the GraphQL type (ids in webhook bodies).
ID_KINDS: dict[str, str] = {
    "article": "Article",
    "article_category": "ArticleCategory",
}

__all__ = ["EVENTS", "ID_KINDS"]
