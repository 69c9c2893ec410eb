"""Knowledge-base search on both databases (PostgreSQL full-text search, SQLite FTS5): word
forms, ranking, highlighted snippets, hostile queries, drafts, tenant isolation; and the
deflection figures against a hand-counted log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from merchantops.demo import DEMO_SLUG, ensure_demo
from merchantops.domain.knowledge import articles, search, stats
from merchantops.domain.knowledge.models import Article, ArticleStatus, KnowledgeSearch
from merchantops.errors import InvalidInput
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.models import Tenant
from tests.factories import make_shop
from tests.knowledge import make_category, published

pytestmark = pytest.mark.usefixtures("db")


async def _library() -> dict[str, uuid.UUID]:
    category = await make_category()
    damaged = await published(
        category,
        "How do I return a damaged item?",
        "Photograph the damage and open a return within **30 days**; we refund the postage.",
    )
    no_reason = await published(
        category,
        "7-day no-reason returns",
        "Unworn tees and unopened coffee can be sent back within 7 days, no reason needed.",
    )
    delivery = await published(
        category,
        "How long does delivery take?",
        "Orders ship in one day; delivery takes 3-5 days. Returning customers ship free.",
    )
    care = await published(
        category, "Caring for your bottle", "Hand-wash the <b>bottle</b> & lid & dry it."
    )
    return {"damaged": damaged.id, "no_reason": no_reason.id, "delivery": delivery.id,
            "care": care.id}  # fmt: skip


async def test_a_word_finds_its_other_forms() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        ids = await _library()

        found = await search.search_articles("returning")

    assert {hit.article.id for hit in found.hits} == {ids["damaged"], ids["no_reason"],
                                                      ids["delivery"]}  # fmt: skip


async def test_a_title_match_ranks_above_a_body_match() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        ids = await _library()

        found = await search.search_articles("delivery")
        ranks = [hit.rank for hit in found.hits]

    assert found.hits[0].article.id == ids["delivery"]
    assert ranks == sorted(ranks, reverse=True)


async def test_snippets_highlight_the_words_found_and_escape_the_rest() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await _library()

        returns = await search.search_articles("damage")
        bottle = await search.search_articles("bottle")

    assert "<mark>damage</mark>" in returns.hits[0].snippet
    assert "**" not in returns.hits[0].snippet  # markdown is not quoted
    assert "<b>" not in bottle.hits[0].snippet
    assert "&amp;" in bottle.hits[0].snippet


@pytest.mark.parametrize(
    "query",
    ['"unbalanced AND OR (', "NEAR(returns", "-", "*", "title:returns", "a AND the", "'; --", "\\"],
)
async def test_hostile_query_syntax_is_no_error(query: str) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        await _library()

        found = await search.search_articles(query)
        logged = await KnowledgeSearch.get(id=found.search.id)

    assert logged.query == query.strip()
    assert logged.results_count == len(found.hits)


async def test_a_hostile_query_still_finds_its_words() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        ids = await _library()

        found = await search.search_articles('"damaged (item')

    assert [hit.article.id for hit in found.hits] == [ids["damaged"]]


async def test_drafts_are_found_only_when_asked_for() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        category = await make_category()
        draft = await articles.create_article(
            articles.ArticleSpec(category.id, "Gift wrapping", "We wrap gifts in paper.")
        )

        readers = await search.search_articles("gift")
        staff = await search.search_articles("wrapping", include_drafts=True)

    assert readers.hits == []
    assert [hit.article.id for hit in staff.hits] == [draft.id]


async def test_one_tenants_articles_never_appear_in_anothers_search() -> None:
    acme, globex = await make_shop("acme"), await make_shop("globex")
    with tenant_scope(globex.tenant.id):
        category = await make_category()
        await published(category, "Returns at Globex", "Globex returns within 90 days.")
        await articles.create_article(
            articles.ArticleSpec(category.id, "Globex returns draft", "Returns returns.")
        )
    with tenant_scope(acme.tenant.id):
        mine = await published(await make_category(), "Returns", "Thirty days.")

        found = await search.search_articles("returns", include_drafts=True)
        logged = await KnowledgeSearch.all().count()

    assert [hit.article.id for hit in found.hits] == [mine.id]
    assert logged == 1


async def test_every_search_is_logged_with_what_it_returned() -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        ids = await _library()

        found = await search.search_articles("  Damaged   ITEM ", limit=1)
        nothing = await search.search_articles("espresso machine")
        logged = await KnowledgeSearch.get(id=found.search.id)
        empty = await KnowledgeSearch.get(id=nothing.search.id)

    assert (logged.results_count, logged.article_ids) == (1, [str(ids["damaged"])])
    assert logged.normalized_query == "damaged item"
    assert (empty.results_count, empty.article_ids) == (0, [])


@pytest.mark.parametrize(("query", "limit", "field"), [(" ", 10, "query"), ("x", 0, "limit"),
                                                       ("x" * 501, 10, "query")])  # fmt: skip
async def test_a_bad_search_is_refused_and_logs_nothing(query: str, limit: int, field: str) -> None:
    shop = await make_shop("acme")
    with tenant_scope(shop.tenant.id):
        with pytest.raises(InvalidInput) as refused:
            await search.search_articles(query, limit=limit)

        assert refused.value.field == field
        assert await KnowledgeSearch.all().count() == 0


async def test_the_deflection_figures_match_a_hand_counted_log() -> None:
    # given: seven searches in the window, one before it, one staff search of drafts
    shop, other = await make_shop("acme"), await make_shop("globex")
    now = datetime.now(UTC)
    start, stop = now - timedelta(days=7), now + timedelta(minutes=1)
    log = [  # query, results, opened, ticket, when
        ("returns", 2, True, False, now),
        ("Returns", 2, False, True, now),
        ("espresso", 0, False, True, now),
        ("Espresso ", 0, False, False, now),
        ("espresso", 0, False, False, now),
        ("gift card", 0, False, False, now),
        ("delivery", 1, True, False, now),
        ("espresso", 0, False, True, now - timedelta(days=8)),  # before the window
    ]
    for tenant in (shop.tenant.id, other.tenant.id):
        with tenant_scope(tenant):
            for query, results, opened, ticket, when in log:
                row = await KnowledgeSearch.create(
                    query=query,
                    normalized_query=search.normalized(query),
                    results_count=results,
                    article_ids=[str(uuid.uuid4()) for _ in range(results)],
                    actor="user:x",
                    channel="staff",
                    opened_article_id=uuid.uuid4() if opened else None,
                    ticket_id=uuid.uuid4() if ticket else None,
                )
                await KnowledgeSearch.filter(id=row.id).update(created_at=when)
    with tenant_scope(shop.tenant.id):
        await KnowledgeSearch.create(
            query="draft", normalized_query="draft", results_count=0, include_drafts=True,
            actor="user:x", channel="staff",
        )  # fmt: skip

        # when
        figures = await stats.knowledge_stats(start, stop)

    # then
    assert figures.searches == 7
    assert figures.zero_result_searches == 4
    assert figures.searches_with_opened_article == 2
    assert figures.searches_without_ticket == 5
    assert figures.deflection_rate == pytest.approx(5 / 7)
    assert [(q.query, q.searches) for q in figures.top_zero_result_queries] == [
        ("espresso", 3),
        ("gift card", 1),
    ]


async def test_no_searches_have_no_deflection_rate_and_a_backwards_window_is_refused() -> None:
    shop = await make_shop("acme")
    now = datetime.now(UTC)
    with tenant_scope(shop.tenant.id):
        empty = await stats.knowledge_stats(now - timedelta(days=1), now)
        with pytest.raises(InvalidInput) as refused:
            await stats.knowledge_stats(now, now - timedelta(days=1))

    assert (empty.searches, empty.deflection_rate, empty.top_zero_result_queries) == (0, None, [])
    assert refused.value.field == "to"


async def test_the_demo_knowledge_base_answers_and_shows_figures() -> None:
    await ensure_demo()
    tenant = await Tenant.get(slug=DEMO_SLUG)
    now = datetime.now(UTC)
    with tenant_scope(tenant.id):
        figures = await stats.knowledge_stats(now - timedelta(days=1), now + timedelta(hours=1))
        found = await search.search_articles("damaged item returns")
        drafts = await Article.filter(status=ArticleStatus.DRAFT).count()
        published_count = await Article.filter(status=ArticleStatus.PUBLISHED).count()

    assert found.hits[0].article.title == "How do I return a damaged item?"
    assert (published_count, drafts) == (8, 1)
    assert figures.searches == 4
    assert figures.searches_with_opened_article == 1
    assert [q.query for q in figures.top_zero_result_queries] == ["gift wrapping"]
    assert figures.deflection_rate == 1.0
