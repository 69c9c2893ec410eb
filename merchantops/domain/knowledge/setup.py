"""What a new tenant starts with in the knowledge base: one category to file articles in
(created as the tenant's other defaults are, without an audit entry of its own)."""

from __future__ import annotations

from merchantops.domain.knowledge.models import ArticleCategory

DEFAULT_CATEGORY = ("general", "General")


async def new_tenant() -> None:
    slug, name = DEFAULT_CATEGORY
    if not await ArticleCategory.exists(slug=slug):
        await ArticleCategory.create(slug=slug, name=name, position=0)


__all__ = ["DEFAULT_CATEGORY", "new_tenant"]
