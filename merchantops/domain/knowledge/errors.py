"""Typed failures of the knowledge area, each with a stable code the API passes on."""

from __future__ import annotations

from merchantops.errors import DomainError


class CategoryNotEmpty(DomainError):
    """A category that still holds articles: move or delete them first."""

    code = "CATEGORY_NOT_EMPTY"


class ArticleNotEditable(DomainError):
    """An archived article: publish it again (or edit a copy) before changing it."""

    code = "ARTICLE_NOT_EDITABLE"


class VersionAlreadyLive(DomainError):
    """Publishing the version that is live already."""

    code = "VERSION_ALREADY_LIVE"


class SearchAlreadyLinked(DomainError):
    """A search already followed by another ticket."""

    code = "SEARCH_ALREADY_LINKED"


__all__ = ["ArticleNotEditable", "CategoryNotEmpty", "SearchAlreadyLinked", "VersionAlreadyLive"]
