"""The knowledge base's mutations, merged in the order the schema lists them."""

from __future__ import annotations

import strawberry

from merchantops.api.graphql.knowledge.mutations.articles import ArticleMutation
from merchantops.api.graphql.knowledge.mutations.categories import ArticleCategoryMutation
from merchantops.api.graphql.knowledge.mutations.views import ArticleViewMutation


@strawberry.type
class KnowledgeMutation(ArticleCategoryMutation, ArticleMutation, ArticleViewMutation):
    pass


__all__ = ["KnowledgeMutation"]
