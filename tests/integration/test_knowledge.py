"""The knowledge base's services: categories, articles and versions (drafts never touch the
live article), typed refusals that write nothing, audit and events."""

from __future__ import annotations

import uuid

import pytest

from merchantops.domain.knowledge import articles, categories, search
from merchantops.domain.knowledge.errors import (
    CategoryNotEmpty,
    SearchAlreadyLinked,
    VersionAlreadyLive,
)
from merchantops.domain.knowledge.models import (
    Article,
    ArticleCategory,
    ArticleStatus,
    ArticleVersion,
)
from merchantops.errors import AlreadyExists, DomainError, InvalidInput, NotFound
from merchantops.tenants.context import actor_scope, tenant_scope
from merchantops.tenants.models import AuditEntry, OutboxEvent
from tests.factories import make_shop
from tests.knowledge import make_category, published

pytestmark = pytest.mark.usefixtures("db")


async def _counts() -> tuple[int, int, int, int, int]:
    return (
        await ArticleCategory.all().count(),
        await Article.all().count(),
        await ArticleVersion.all().count(),
        await AuditEntry.all().count(),
        await OutboxEvent.all().count(),
    )


async def test_a_category_gets_a_slug_from_its_name_and_is_audited() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        category = await categories.create_category("Returns & refunds", position=2)
        renamed = await categories.update_category(
            category.id, categories.CategoryChanges(name="Returns", position=1)
        )
        actions = (
            await AuditEntry.filter(target_type="article_category")
            .order_by("created_at")
            .values_list("action", flat=True)
        )

    assert category.slug == "returns-refunds"
    assert (renamed.name, renamed.position, renamed.slug) == ("Returns", 1, "returns-refunds")
    assert [str(a) for a in actions] == ["article_category.created", "article_category.updated"]


@pytest.mark.parametrize(
    ("call", "field", "error"),
    [
        (lambda c: categories.create_category(" "), "name", InvalidInput),
        (lambda c: categories.create_category("Care", "Not A Slug"), "slug", InvalidInput),
        (lambda c: categories.create_category("Care", position=-1), "position", InvalidInput),
        (lambda c: categories.create_category("Shipping", c.slug), "slug", AlreadyExists),
        (
            lambda c: articles.create_article(articles.ArticleSpec(c.id, "", "body")),
            "title",
            InvalidInput,
        ),
        (
            lambda c: articles.create_article(articles.ArticleSpec(c.id, "x" * 201)),
            "title",
            InvalidInput,
        ),
        (
            lambda c: articles.create_article(articles.ArticleSpec(uuid.uuid4(), "Delivery")),
            "categoryId",
            NotFound,
        ),
        (
            lambda c: articles.create_article(
                articles.ArticleSpec(c.id, "Delivery", slug="how-long-does-delivery-take")
            ),
            "slug",
            AlreadyExists,
        ),
        (lambda c: categories.delete_category(c.id), "id", CategoryNotEmpty),
        (lambda c: articles.publish_article(uuid.uuid4()), "id", NotFound),
    ],
)
async def test_bad_input_is_a_typed_error_and_writes_nothing(
    call: object, field: str, error: type[DomainError]
) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        category = await make_category("Shipping")
        await published(category, "How long does delivery take?", "Three to five days.")
        before = await _counts()

        with pytest.raises(error) as raised:
            await call(category)  # type: ignore[operator]

        assert raised.value.field == field
        assert await _counts() == before


async def test_a_draft_never_changes_the_live_article_until_it_is_published() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id), actor_scope("user:writer"):
        category = await make_category()
        live = await published(category, "Returns", "Send it back within **30 days**.")

        draft = await articles.update_draft(
            live.id, articles.DraftChanges(body="Send it back within 7 days.")
        )
        unchanged = await Article.get(id=live.id)
        found_before = await search.search_articles("7 days")
        again = await articles.publish_article(live.id)
        found_after = await search.search_articles("7 days")
        history = await articles.versions(live.id)

    assert draft.number == 2
    assert (unchanged.body, unchanged.published_version) == ("Send it back within **30 days**.", 1)
    assert unchanged.search_text == "Send it back within 30 days."
    assert found_before.hits == []
    assert (again.body, again.published_version, again.latest_version) == (draft.body, 2, 2)
    assert [hit.article.id for hit in found_after.hits] == [live.id]
    assert [(v.number, v.title, v.author) for v in history] == [
        (2, "Returns", "user:writer"),
        (1, "Returns", "user:writer"),
    ]


async def test_an_older_version_can_be_made_live_again_and_the_live_one_is_refused() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        live = await published(await make_category(), "Returns", "Thirty days.")
        await articles.update_draft(live.id, articles.DraftChanges(title="Returns policy"))
        await articles.publish_article(live.id)

        rolled_back = await articles.publish_article(live.id, 1)
        with pytest.raises(VersionAlreadyLive):
            await articles.publish_article(live.id, 1)
        with pytest.raises(NotFound) as missing:
            await articles.publish_article(live.id, 9)

    assert (rolled_back.title, rolled_back.published_version) == ("Returns", 1)
    assert missing.value.field == "version"


async def test_a_draft_without_changes_makes_no_version() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        article = await articles.create_article(
            articles.ArticleSpec((await make_category()).id, "Returns", "Thirty days.")
        )
        same = await articles.update_draft(article.id, articles.DraftChanges(title=" Returns "))

        assert same.number == 1
        assert await ArticleVersion.filter(article_id=article.id).count() == 1


async def test_publishing_archiving_and_deleting_are_audited_with_events() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        category = await make_category()
        article = await published(category, "Returns", "Thirty days.")
        archived = await articles.archive_article(article.id)
        hidden = await search.search_articles("returns")
        await articles.delete_article(article.id)
        await categories.delete_category(category.id)
        events = await OutboxEvent.all().order_by("created_at").values_list("type", flat=True)
        actions = await AuditEntry.all().values_list("action", flat=True)
        left = await ArticleVersion.all().count()

    assert archived.status is ArticleStatus.ARCHIVED
    assert hidden.hits == []
    assert [str(e) for e in events] == [
        "article.created",
        "article.published",
        "article.archived",
        "article.deleted",
    ]
    assert {"article.created", "article.published", "article.archived", "article.deleted",
            "article_category.deleted"} <= set(actions)  # fmt: skip
    assert left == 0


async def test_a_search_is_linked_to_the_ticket_that_followed_it_once() -> None:
    shop = await make_shop("acme")
    ticket, other = uuid.uuid4(), uuid.uuid4()
    with tenant_scope(shop.tenant.id):
        await published(await make_category(), "Returns", "Thirty days.")
        done = await search.search_articles("returns")

        linked = await search.link_search_to_ticket(done.search.id, ticket)
        again = await search.link_search_to_ticket(done.search.id, ticket)
        with pytest.raises(SearchAlreadyLinked):
            await search.link_search_to_ticket(done.search.id, other)
        with pytest.raises(NotFound):
            await search.link_search_to_ticket(uuid.uuid4(), ticket)

    assert linked.ticket_id == again.ticket_id == ticket


async def test_opening_a_result_is_recorded_once_and_only_for_its_results() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        category = await make_category()
        first = await published(category, "Returns", "Thirty days to send it back.")
        second = await published(category, "Delivery", "Three days.")
        done = await search.search_articles("returns")

        with pytest.raises(InvalidInput) as refused:
            await search.record_view(done.search.id, second.id)
        opened = await search.record_view(done.search.id, first.id)

    assert refused.value.field == "articleId"
    assert opened.opened_article_id == first.id
    assert opened.opened_at is not None
