"""The knowledge base's filter inputs."""

from __future__ import annotations

import strawberry

from merchantops.domain.knowledge.models import ArticleStatus


@strawberry.input
class ArticleFilter:
    status: ArticleStatus | None = None
    category_id: strawberry.ID | None = None


__all__ = ["ArticleFilter"]
