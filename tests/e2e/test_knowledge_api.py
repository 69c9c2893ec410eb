"""The knowledge base through the API: customer service writes and publishes articles, drafts
stay out of readers' sight, everyone in the departments searches, a search and an opened
result show in the figures; permissions and another tenant's ids."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from merchantops.domain.knowledge import articles as article_service
from merchantops.domain.knowledge import categories
from merchantops.tenants.context import tenant_scope
from merchantops.tenants.global_ids import global_id
from tests.conftest import GraphQLClient
from tests.factories import PASSWORD, add_member, make_onboarded_shop, make_shop

ERRORS = "errors { field code message }"
ARTICLE = "id slug status title body publishedVersion latestVersion hasUnpublishedChanges"
CREATE_CATEGORY = f"""mutation($input: CreateArticleCategoryInput!) {{
  createArticleCategory(input: $input) {{ category {{ id name slug position }} {ERRORS} }} }}"""
CREATE = f"""mutation($input: CreateArticleInput!) {{
  createArticle(input: $input) {{ article {{ {ARTICLE} category {{ slug }} }} {ERRORS} }} }}"""
DRAFT = f"""mutation($input: UpdateArticleDraftInput!) {{
  updateArticleDraft(input: $input) {{ article {{ {ARTICLE} }} version {{ number body }}
  {ERRORS} }} }}"""
PUBLISH = f"""mutation($input: PublishArticleInput!) {{
  publishArticle(input: $input) {{ article {{ {ARTICLE} }} {ERRORS} }} }}"""
ARCHIVE = f"""mutation($id: ID!) {{
  archiveArticle(input: {{id: $id}}) {{ article {{ status }} {ERRORS} }} }}"""
DELETE = f"mutation($id: ID!) {{ deleteArticle(input: {{id: $id}}) {{ deletedId {ERRORS} }} }}"
SEARCH = """query($q: String!, $drafts: Boolean! = false) {
  searchArticles(query: $q, includeDrafts: $drafts) {
    searchId results { rank snippet article { id title } } } }"""
VIEW = f"""mutation($s: ID!, $a: ID!) {{
  recordArticleView(input: {{searchId: $s, articleId: $a}}) {{ recorded {ERRORS} }} }}"""
STATS = """query($from: DateTime!, $to: DateTime!) { knowledgeStats(from: $from, to: $to) {
  searches zeroResultSearches searchesWithOpenedArticle searchesWithoutTicket deflectionRate
  topZeroResultQueries { query searches } } }"""
ONE = f"query($id: ID!) {{ article(id: $id) {{ {ARTICLE} versions {{ number title }} }} }}"
LIST = """query($filter: ArticleFilter) { articles(filter: $filter) {
  edges { node { title status } } } }"""
SERVICE, WAREHOUSE = "care@acme.example.com", "stock@acme.example.com"


class Caller:
    def __init__(self, gql: GraphQLClient, token: str) -> None:
        self.gql, self.token = gql, token

    async def body(self, query: str, **variables: Any) -> Any:
        return await self.gql.execute(query, variables, token=self.token, tenant="acme")

    async def data(self, query: str, **variables: Any) -> Any:
        body = await self.body(query, **variables)
        assert "errors" not in body, body
        return body["data"]


async def _callers(gql: GraphQLClient) -> tuple[Caller, Caller]:
    shop = await make_onboarded_shop("acme")
    await add_member(shop, SERVICE, ["customer-service-staff"])
    await add_member(shop, WAREHOUSE, ["warehouse-staff"])
    care = Caller(gql, (await gql.login(SERVICE, PASSWORD))["accessToken"])
    stock = Caller(gql, (await gql.login(WAREHOUSE, PASSWORD))["accessToken"])
    return care, stock


async def test_customer_service_writes_publishes_and_readers_find_only_the_live_text(
    gql: GraphQLClient,
) -> None:
    # given
    care, stock = await _callers(gql)
    category = (await care.data(CREATE_CATEGORY, input={"name": "Returns & refunds"}))[
        "createArticleCategory"
    ]["category"]
    created = (
        await care.data(
            CREATE,
            input={
                "categoryId": category["id"],
                "title": "7-day no-reason returns",
                "body": "Send unworn tees back within **7 days**.",
            },
        )
    )["createArticle"]
    article_id = created["article"]["id"]

    # when
    hidden = await stock.data(SEARCH, q="returns")
    published = await care.data(PUBLISH, input={"id": article_id})
    draft = await care.data(
        DRAFT, input={"id": article_id, "body": "Send unworn tees back within 14 days."}
    )
    found = await stock.data(SEARCH, q="returning tees")
    draft_search = await care.data(SEARCH, q="14 days", drafts=True)
    one = await stock.data(ONE, id=article_id)
    listed = await stock.data(LIST, filter={"status": "PUBLISHED"})

    # then
    assert created["errors"] == []
    assert created["article"]["status"] == "DRAFT"
    assert created["article"]["category"] == {"slug": "returns-refunds"}
    assert hidden["searchArticles"]["results"] == []
    assert published["publishArticle"]["article"]["publishedVersion"] == 1
    assert draft["updateArticleDraft"]["version"]["number"] == 2
    assert (
        draft["updateArticleDraft"]["article"]["body"] == "Send unworn tees back within **7 days**."
    )
    assert draft["updateArticleDraft"]["article"]["hasUnpublishedChanges"] is True
    hits = found["searchArticles"]["results"]
    assert [hit["article"]["id"] for hit in hits] == [article_id]
    assert "<mark>tees</mark>" in hits[0]["snippet"]
    assert draft_search["searchArticles"]["results"] == []  # its live text says 7 days
    assert [v["number"] for v in one["article"]["versions"]] == [2, 1]
    assert listed["articles"]["edges"] == [
        {"node": {"title": "7-day no-reason returns", "status": "PUBLISHED"}}
    ]


async def test_a_search_and_an_opened_result_show_in_the_figures(gql: GraphQLClient) -> None:
    care, stock = await _callers(gql)
    general = (await care.data("{ articleCategories { id slug } }"))["articleCategories"]
    created = await care.data(
        CREATE,
        input={"categoryId": general[0]["id"], "title": "How long does delivery take?",
               "body": "Three to five days."},
    )  # fmt: skip
    article_id = created["createArticle"]["article"]["id"]
    await care.data(PUBLISH, input={"id": article_id})

    found = (await stock.data(SEARCH, q="delivery"))["searchArticles"]
    await stock.data(SEARCH, q="espresso machine")
    viewed = await stock.data(VIEW, s=found["searchId"], a=article_id)
    now = datetime.now(UTC)
    figures = (
        await stock.data(
            STATS,
            **{
                "from": (now - timedelta(days=1)).isoformat(),
                "to": (now + timedelta(hours=1)).isoformat(),
            },
        )
    )["knowledgeStats"]

    assert general[0]["slug"] == "general"  # every new tenant starts with it
    assert viewed["recordArticleView"] == {"recorded": True, "errors": []}
    assert figures == {
        "searches": 2,
        "zeroResultSearches": 1,
        "searchesWithOpenedArticle": 1,
        "searchesWithoutTicket": 2,
        "deflectionRate": 1.0,
        "topZeroResultQueries": [{"query": "espresso machine", "searches": 1}],
    }


async def test_readers_may_not_write_nor_search_drafts(gql: GraphQLClient) -> None:
    _, stock = await _callers(gql)

    write = await stock.body(CREATE_CATEGORY, input={"name": "Mine"})
    drafts = await stock.body(SEARCH, q="returns", drafts=True)

    assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert drafts["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_bad_input_comes_back_as_typed_errors(gql: GraphQLClient) -> None:
    care, _ = await _callers(gql)
    general = (await care.data("{ articleCategories { id } }"))["articleCategories"][0]["id"]

    empty = await care.data(CREATE, input={"categoryId": general, "title": " "})
    article = (await care.data(CREATE, input={"categoryId": general, "title": "Care"}))[
        "createArticle"
    ]["article"]
    not_empty_category = await care.data(
        f"mutation($id: ID!) {{ deleteArticleCategory(input: {{id: $id}}) {{ {ERRORS} }} }}",
        id=general,
    )
    await care.data(PUBLISH, input={"id": article["id"]})
    again = await care.data(PUBLISH, input={"id": article["id"], "version": 1})
    archived = await care.data(ARCHIVE, id=article["id"])
    deleted = await care.data(DELETE, id=article["id"])
    blank = await care.body(SEARCH, q="   ")

    assert empty["createArticle"]["errors"][0]["field"] == "title"
    assert empty["createArticle"]["errors"][0]["code"] == "INVALID_INPUT"
    assert not_empty_category["deleteArticleCategory"]["errors"][0]["code"] == (
        "CATEGORY_NOT_EMPTY"
    )
    assert again["publishArticle"]["errors"][0]["code"] == "VERSION_ALREADY_LIVE"
    assert archived["archiveArticle"]["article"]["status"] == "ARCHIVED"
    assert deleted["deleteArticle"]["deletedId"] == article["id"]
    assert blank["errors"][0]["extensions"]["code"] == "INVALID_INPUT"


async def test_another_tenants_article_is_not_found(gql: GraphQLClient) -> None:
    care, _ = await _callers(gql)
    globex = await make_shop("globex")
    with tenant_scope(globex.tenant.id):
        category = await categories.create_category("Globex secrets")
        theirs = await article_service.create_article(
            article_service.ArticleSpec(category.id, "Globex secret returns", "Secret.")
        )
        await article_service.publish_article(theirs.id)
    their_id = global_id("Article", theirs.id)

    one = await care.data(ONE, id=their_id)
    published = await care.data(PUBLISH, input={"id": their_id})
    found = await care.data(SEARCH, q="secret returns", drafts=True)

    assert one == {"article": None}
    assert published["publishArticle"]["errors"][0]["code"] == "NOT_FOUND"
    assert found["searchArticles"]["results"] == []
