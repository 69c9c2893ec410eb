"""The knowledge base: categories, articles and their versions, search and its figures."""

from __future__ import annotations

from merchantops.api.graphql.knowledge.mutations import KnowledgeMutation as Mutation
from merchantops.api.graphql.knowledge.queries import KnowledgeQuery as Query

__all__ = ["Mutation", "Query"]
