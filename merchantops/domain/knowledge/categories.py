"""Knowledge-base categories: creating, renaming, reordering, deleting (empty ones only)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.knowledge.errors import CategoryNotEmpty
from merchantops.domain.knowledge.models import Article, ArticleCategory
from merchantops.domain.values import text
from merchantops.errors import AlreadyExists, InvalidInput, NotFound
from merchantops.tenants import audit

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_POSITION = 10_000


@dataclass(frozen=True, slots=True)
class CategoryChanges:
    """What an update sets; None leaves a field as it is."""

    name: str | None = None
    slug: str | None = None
    position: int | None = None


def slugify(value: str, max_length: int = 80) -> str:
    """'Returns & refunds' -> 'returns-refunds' (accents dropped, at most `max_length`)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:max_length].strip("-")


def checked_slug(value: str, field: str, max_length: int) -> str:
    value = value.strip().lower()
    if not SLUG.match(value) or len(value) > max_length:
        raise InvalidInput(
            f"A slug is 1-{max_length} lower-case letters and digits, words joined by '-'.",
            field=field,
        )
    return value


def _position(value: int, field: str = "position") -> int:
    if not 0 <= value <= MAX_POSITION:
        raise InvalidInput(f"A position is from 0 to {MAX_POSITION}.", field=field)
    return value


async def create_category(name: str, slug: str = "", position: int = 0) -> ArticleCategory:
    name = text(name, "name", max_length=120)
    slug = checked_slug(slug, "slug", 80) if slug.strip() else slugify(name)
    if not slug:
        raise InvalidInput("Give the category a slug (its name has no letters to make one).",
                           field="slug")  # fmt: skip
    position = _position(position)
    async with in_transaction():
        if await ArticleCategory.exists(slug=slug):
            raise AlreadyExists("A category with this slug exists.", field="slug")
        category = await ArticleCategory.create(name=name, slug=slug, position=position)
        await audit.record(
            "article_category.created",
            "article_category",
            category.id,
            after={"name": name, "slug": slug, "position": position},
        )
    return category


async def update_category(category_id: UUID, changes: CategoryChanges) -> ArticleCategory:
    values: dict[str, object] = {}
    if changes.name is not None:
        values["name"] = text(changes.name, "name", max_length=120)
    if changes.slug is not None:
        values["slug"] = checked_slug(changes.slug, "slug", 80)
    if changes.position is not None:
        values["position"] = _position(changes.position)
    async with in_transaction():
        category = await ArticleCategory.select_for_update().get_or_none(id=category_id)
        if category is None:
            raise NotFound("No article category with this id.", field="id")
        changed = sorted(key for key, value in values.items() if getattr(category, key) != value)
        if not changed:
            return category
        if "slug" in changed and await ArticleCategory.filter(slug=values["slug"]).exists():
            raise AlreadyExists("A category with this slug exists.", field="slug")
        before = {key: getattr(category, key) for key in changed}
        for key in changed:
            setattr(category, key, values[key])
        await category.save(update_fields=[*changed, "updated_at"])
        await audit.record(
            "article_category.updated",
            "article_category",
            category.id,
            before=before,
            after={key: values[key] for key in changed},
        )
    return category


async def delete_category(category_id: UUID) -> None:
    async with in_transaction():
        category = await ArticleCategory.select_for_update().get_or_none(id=category_id)
        if category is None:
            raise NotFound("No article category with this id.", field="id")
        if await Article.exists(category_id=category.id):
            raise CategoryNotEmpty(
                "This category holds articles: move or delete them first.", field="id"
            )
        await category.delete()
        await audit.record(
            "article_category.deleted",
            "article_category",
            category_id,
            before={"name": category.name, "slug": category.slug},
        )


async def get_category(category_id: UUID, field: str = "categoryId") -> ArticleCategory:
    category = await ArticleCategory.get_or_none(id=category_id)
    if category is None:
        raise NotFound("No article category with this id.", field=field)
    return category


__all__ = [
    "CategoryChanges",
    "checked_slug",
    "create_category",
    "delete_category",
    "get_category",
    "slugify",
    "update_category",
]
