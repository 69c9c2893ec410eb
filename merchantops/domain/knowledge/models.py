"""The knowledge base (issue 18): categories, articles, their versions, and the search log.

An article's title, body and search text are its live (published) version's, copied on
publish: a draft is a newer `ArticleVersion`, edited without touching them. An article never
published carries its latest draft's text there instead, so staff can find drafts. Every
search is logged (`KnowledgeSearch`): what was asked, what came back, whether a result was
opened and whether a ticket followed, which is what the deflection figure counts. Model
docstrings become table comments: keep semicolons out of them.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from tortoise import fields

from merchantops.tenants.base import TenantModel


class ArticleStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class ArticleCategory(TenantModel):
    """A section of the knowledge base."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=120)
    slug = fields.CharField(max_length=80)
    position = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "article_category"
        unique_together = (("tenant", "slug"),)


class Article(TenantModel):
    """A knowledge-base article: its live version's text, searchable once published."""

    id = fields.UUIDField(primary_key=True)
    category: fields.ForeignKeyRelation[ArticleCategory] = fields.ForeignKeyField(
        "merchantops.ArticleCategory", related_name="articles", on_delete=fields.RESTRICT
    )
    category_id: UUID
    slug = fields.CharField(max_length=120)
    status = fields.CharEnumField(ArticleStatus, max_length=16, default=ArticleStatus.DRAFT)
    title = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    # The body as plain words (markdown syntax removed): what search indexes and quotes.
    search_text = fields.TextField(default="")
    published_version = fields.IntField(null=True)
    latest_version = fields.IntField(default=1)
    published_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "article"
        unique_together = (("tenant", "slug"),)
        indexes = (("tenant_id", "status"), ("tenant_id", "category_id"))


class ArticleVersion(TenantModel):
    """One edit of an article: its title and markdown body as the author left them."""

    id = fields.UUIDField(primary_key=True)
    article: fields.ForeignKeyRelation[Article] = fields.ForeignKeyField(
        "merchantops.Article", related_name="versions", on_delete=fields.CASCADE
    )
    article_id: UUID
    number = fields.IntField()
    title = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    author = fields.CharField(max_length=100)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "article_version"
        unique_together = (("tenant", "article", "number"),)


class KnowledgeSearch(TenantModel):
    """One search of the knowledge base, and what followed it (an opened result, a ticket)."""

    id = fields.UUIDField(primary_key=True)
    query = fields.CharField(max_length=500)
    # lower-cased, blanks collapsed: how the zero-result queries are grouped
    normalized_query = fields.CharField(max_length=500)
    results_count = fields.IntField()
    article_ids: list[str] = fields.JSONField(default=list)
    include_drafts = fields.BooleanField(default=False)
    actor = fields.CharField(max_length=100)
    channel = fields.CharField(max_length=16)
    opened_article_id = fields.UUIDField(null=True)
    opened_at = fields.DatetimeField(null=True)
    ticket_id = fields.UUIDField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "knowledge_search"
        indexes = (("tenant_id", "created_at"),)


__all__ = ["Article", "ArticleCategory", "ArticleStatus", "ArticleVersion", "KnowledgeSearch"]
