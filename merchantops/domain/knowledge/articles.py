"""Articles and their versions: the only place they change.

Every edit is a new `ArticleVersion`; the article row carries the live version's title, body and
search text, copied by `publish_article`, so a draft never changes what readers see until it is
published. An article never published shows (and, for staff, is found by) its latest draft.
Archiving takes an article out of search; publishing a version brings it back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.knowledge import search
from merchantops.domain.knowledge.categories import checked_slug, get_category, slugify
from merchantops.domain.knowledge.errors import VersionAlreadyLive
from merchantops.domain.knowledge.models import Article, ArticleStatus, ArticleVersion
from merchantops.domain.values import text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit, outbox
from merchantops.tenants.context import current_actor

MAX_TITLE = 200
MAX_BODY = 100_000
MAX_SLUG = 120


@dataclass(frozen=True, slots=True)
class ArticleSpec:
    category_id: UUID
    title: str
    body: str = ""
    slug: str = ""


@dataclass(frozen=True, slots=True)
class DraftChanges:
    """What a new draft version changes; None keeps the latest version's value. A category
    change applies at once (it is where the article is filed, not its text)."""

    title: str | None = None
    body: str | None = None
    category_id: UUID | None = None


_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]{0,200}>")
_MARKUP = re.compile(r"^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+", re.MULTILINE)
_EMPHASIS = re.compile(r"[*_`~]+")
_BLANKS = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """The words of a markdown body without its syntax: what search indexes and quotes."""
    words = _FENCE.sub(" ", markdown)
    words = _IMAGE.sub(r"\1", words)
    words = _LINK.sub(r"\1", words)
    words = _TAG.sub(" ", words)
    words = _MARKUP.sub("", words)
    words = _EMPHASIS.sub("", words)
    return _BLANKS.sub(" ", words).strip()


def _title(value: str, field: str = "title") -> str:
    return text(value, field, max_length=MAX_TITLE)


def _body(value: str, field: str = "body") -> str:
    body = value.strip()
    if len(body) > MAX_BODY:
        raise InvalidInput(f"At most {MAX_BODY} characters.", field=field)
    return body


async def create_article(spec: ArticleSpec) -> Article:
    """A new article in DRAFT, its first version holding the title and body."""
    title, body = _title(spec.title), _body(spec.body)
    slug = checked_slug(spec.slug, "slug", MAX_SLUG) if spec.slug.strip() else ""
    async with in_transaction():
        category = await get_category(spec.category_id)
        slug = slug or await _free_slug(slugify(title, MAX_SLUG) or "article")
        if await Article.exists(slug=slug):
            raise AlreadyExists("An article with this slug exists.", field="slug")
        article = await Article.create(
            category=category,
            slug=slug,
            status=ArticleStatus.DRAFT,
            title=title,
            body=body,
            search_text=plain_text(body),
            latest_version=1,
        )
        await ArticleVersion.create(
            article=article, number=1, title=title, body=body, author=current_actor()[:100]
        )
        await search.index(article)
        await audit.record(
            "article.created", "article", article.id, after={"slug": slug, "title": title}
        )
        await outbox.emit("article.created", _event(article))
    return article


async def update_draft(article_id: UUID, changes: DraftChanges) -> ArticleVersion:
    """A new version from the latest one with `changes`; the live text stays as it is."""
    title = None if changes.title is None else _title(changes.title)
    body = None if changes.body is None else _body(changes.body)
    async with in_transaction():
        article = await _locked(article_id)
        latest = await ArticleVersion.get(article_id=article.id, number=article.latest_version)
        moved = changes.category_id is not None and changes.category_id != article.category_id
        if moved:
            assert changes.category_id is not None
            await get_category(changes.category_id)
        new_title = latest.title if title is None else title
        new_body = latest.body if body is None else body
        edited = (new_title, new_body) != (latest.title, latest.body)
        if not edited and not moved:
            return latest
        version = latest
        updated: list[str] = []
        if edited:
            version = await ArticleVersion.create(
                article=article,
                number=article.latest_version + 1,
                title=new_title,
                body=new_body,
                author=current_actor()[:100],
            )
            article.latest_version = version.number
            updated.append("latest_version")
            if article.published_version is None:  # nothing live: the draft is what shows
                article.title, article.body = new_title, new_body
                article.search_text = plain_text(new_body)
                updated += ["title", "body", "search_text"]
        if moved:
            assert changes.category_id is not None
            article.category_id = changes.category_id
            updated.append("category_id")
        await article.save(update_fields=[*updated, "updated_at"])
        await search.index(article)
        await audit.record(
            "article.draft_updated",
            "article",
            article.id,
            after={"version": version.number, "moved": moved},
        )
    return version


async def publish_article(article_id: UUID, number: int | None = None) -> Article:
    """Make a version (the latest when `number` is None) the live one: searchable at once."""
    async with in_transaction():
        article = await _locked(article_id)
        chosen = article.latest_version if number is None else number
        version = await ArticleVersion.get_or_none(article_id=article.id, number=chosen)
        if version is None:
            raise NotFound("This article has no version with this number.", field="version")
        if article.status is ArticleStatus.PUBLISHED and article.published_version == chosen:
            raise VersionAlreadyLive("This version is live already.", field="version")
        before = {"status": article.status.value, "version": article.published_version}
        article.status = ArticleStatus.PUBLISHED
        article.title, article.body = version.title, version.body
        article.search_text = plain_text(version.body)
        article.published_version = version.number
        article.published_at = datetime.now(UTC)
        await article.save(
            update_fields=[
                "status",
                "title",
                "body",
                "search_text",
                "published_version",
                "published_at",
                "updated_at",
            ]
        )
        await search.index(article)
        await audit.record(
            "article.published",
            "article",
            article.id,
            before=before,
            after={"status": article.status.value, "version": version.number},
        )
        await outbox.emit("article.published", {**_event(article), "version": version.number})
    return article


async def archive_article(article_id: UUID) -> Article:
    """Out of search and out of readers' sight; publishing a version brings it back."""
    async with in_transaction():
        article = await _locked(article_id)
        if article.status is ArticleStatus.ARCHIVED:
            return article
        before = article.status.value
        article.status = ArticleStatus.ARCHIVED
        await article.save(update_fields=["status", "updated_at"])
        await search.index(article)
        await audit.record(
            "article.archived",
            "article",
            article.id,
            before={"status": before},
            after={"status": article.status.value},
        )
        await outbox.emit("article.archived", _event(article))
    return article


async def delete_article(article_id: UUID) -> None:
    """The article and every version of it; searches that found it keep its id."""
    async with in_transaction():
        article = await _locked(article_id)
        await ArticleVersion.filter(article_id=article.id).delete()
        await article.delete()
        await search.unindex(article.id)
        await audit.record(
            "article.deleted",
            "article",
            article_id,
            before={"slug": article.slug, "title": article.title, "status": article.status.value},
        )
        await outbox.emit("article.deleted", _event(article))


async def get_article(article_id: UUID, field: str = "id") -> Article:
    """The article of the tenant in context, or `NotFound` naming `field`: what another area
    (a ticket linking an article) checks an article id with."""
    article = await Article.get_or_none(id=article_id)
    if article is None:
        raise NotFound("No article with this id.", field=field)
    return article


async def versions(article_id: UUID) -> list[ArticleVersion]:
    """Every version of the article, newest first."""
    await get_article(article_id)
    return await ArticleVersion.filter(article_id=article_id).order_by("-number")


async def _locked(article_id: UUID) -> Article:
    article = await Article.select_for_update().get_or_none(id=article_id)
    if article is None:
        raise NotFound("No article with this id.", field="id")
    return article


async def _free_slug(base: str) -> str:
    slug, n = base, 1
    while await Article.exists(slug=slug):
        n += 1
        suffix = f"-{n}"
        slug = base[: MAX_SLUG - len(suffix)] + suffix
    return slug


def _event(article: Article) -> dict[str, object]:
    return {"id": str(article.id), "category_id": str(article.category_id), "slug": article.slug}


__all__ = [
    "ArticleSpec",
    "DraftChanges",
    "archive_article",
    "create_article",
    "delete_article",
    "get_article",
    "plain_text",
    "publish_article",
    "update_draft",
    "versions",
]
