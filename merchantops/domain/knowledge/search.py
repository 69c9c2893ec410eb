"""Full-text search of the knowledge base, and its log.

PostgreSQL: the `article` table has a generated column `search_vector`, the title (weight A)
and search text (weight B) through the `english` text-search configuration, so words match in
their other forms ('returning' finds 'returns'), with a GIN index (migration 0022). A query is
read with `websearch_to_tsquery` (quoted phrases, `or`, `-word`; it never fails on syntax),
ranked with `ts_rank`, and quoted with `ts_headline`.

SQLite (the embedded default): an FTS5 table `article_search` (tenant, article, title, body)
with the `porter` tokenizer, created by the same migration and kept in step here on every
create, edit, publish, archive and delete; a trigger drops a tenant's rows with the tenant
(a purge deletes its articles without this module). Search joins the article table, so an
entry whose article is gone is never an answer. The user's words are quoted one by one and
joined with AND, so no FTS5 syntax reaches MATCH; common English words are dropped as
PostgreSQL's configuration drops them. Ranked with `bm25` (title ten times the body), quoted
with `snippet()`.

Both filter by the tenant in context and, by default, find PUBLISHED articles only;
`include_drafts` adds articles in DRAFT (never published, or being prepared: their latest
draft is what they hold). Highlighted words come back between `<mark>` and `</mark>`, the rest
of a snippet HTML-escaped. Every search writes a `KnowledgeSearch` row; its id comes back with
the results, for `record_view` and, when a ticket follows, `link_search_to_ticket`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from tortoise.transactions import in_transaction

from merchantops.domain.knowledge import sql
from merchantops.domain.knowledge.errors import SearchAlreadyLinked
from merchantops.domain.knowledge.models import Article, ArticleStatus, KnowledgeSearch
from merchantops.domain.values import text
from merchantops.errors import InvalidInput, NotFound
from merchantops.tenants.context import current_actor

CONFIG = "english"
MAX_QUERY = 500
MAX_RESULTS = 50
MAX_TERMS = 32
_START, _STOP = "\ue000", "\ue001"  # private-use marks, replaced after escaping
_WORD = re.compile(r"\w+")
_BLANKS = re.compile(r"\s+")
# PostgreSQL's english configuration drops these (a subset of its snowball stop words)
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "do",
        "does",
        "did",
        "for",
        "from",
        "had",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "too",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    }
)

# CONFIG and the highlight marks are spelt out in these statements
INDEX_DELETE = 'DELETE FROM "article_search" WHERE article_id = :article'
INDEX_INSERT = (
    'INSERT INTO "article_search" (tenant_id, article_id, title, body) '
    "VALUES (:tenant, :article, :title, :body)"
)
HEADLINE = "StartSel=\ue000, StopSel=\ue001, MaxWords=30, MinWords=12"
POSTGRES_SEARCH = """
WITH q AS (SELECT websearch_to_tsquery('english', :query) AS q)
SELECT hit.id, hit.rank, ts_headline('english', hit.search_text, q.q, :headline) AS snippet
FROM (
    SELECT a.id, a.title, a.search_text, ts_rank(a.search_vector, q.q) AS rank
    FROM article a, q
    WHERE a.tenant_id = :tenant AND a.status IN (:published, :draft)
      AND a.search_vector @@ q.q
    ORDER BY rank DESC, a.title, a.id
    LIMIT :limit
) hit, q
ORDER BY hit.rank DESC, hit.title, hit.id
"""
SQLITE_SEARCH = """
SELECT article_search.article_id AS id, -bm25(article_search, 0.0, 0.0, 10.0, 1.0) AS rank,
       snippet(article_search, 3, '\ue000', '\ue001', '\u2026', 24) AS snippet
FROM article_search JOIN article a ON a.id = article_search.article_id
     AND a.tenant_id = article_search.tenant_id
WHERE article_search MATCH :match AND article_search.tenant_id = :tenant
  AND a.status IN (:published, :draft)
ORDER BY rank DESC, a.title, a.id
LIMIT :limit
"""


@dataclass(frozen=True, slots=True)
class Hit:
    article: Article
    rank: float
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchResult:
    search: KnowledgeSearch
    hits: list[Hit]


def _searchable(article: Article) -> bool:
    return article.status in (ArticleStatus.PUBLISHED, ArticleStatus.DRAFT)


async def index(article: Article) -> None:
    """Bring the article's search entry in step with it (SQLite; PostgreSQL's is generated)."""
    if sql.is_postgres():
        return
    await sql.execute(INDEX_DELETE, article=article.id)
    if _searchable(article):
        await sql.execute(
            INDEX_INSERT, article=article.id, title=article.title, body=article.search_text
        )


async def unindex(article_id: UUID) -> None:
    if not sql.is_postgres():
        await sql.execute(INDEX_DELETE, article=article_id)


def fts5_match(query: str) -> str:
    """The words of `query` as an FTS5 expression that cannot be a syntax error: each word
    quoted, all of them required; '' when no word is left."""
    words = [word for word in _WORD.findall(query.lower()) if word not in STOP_WORDS]
    unique = list(dict.fromkeys(words))[:MAX_TERMS]
    return " AND ".join(f'"{word}"' for word in unique)


def normalized(query: str) -> str:
    return _BLANKS.sub(" ", query.strip().lower())


def _highlighted(snippet: str | None) -> str:
    escaped = html.escape(snippet or "", quote=False)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")


async def search_articles(
    query: str, *, limit: int = 10, include_drafts: bool = False, channel: str = "staff"
) -> SearchResult:
    """The tenant's articles matching `query`, best first, and the logged search."""
    query = text(query, "query", max_length=MAX_QUERY)
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput(f"Ask for 1 to {MAX_RESULTS} results.", field="limit")
    statuses = {
        "published": ArticleStatus.PUBLISHED.value,
        "draft": (ArticleStatus.DRAFT if include_drafts else ArticleStatus.PUBLISHED).value,
    }
    found: list[dict[str, object]] = []
    if sql.is_postgres():
        found = await sql.rows(
            POSTGRES_SEARCH, query=query, headline=HEADLINE, limit=limit, **statuses
        )
    elif match := fts5_match(query):
        found = await sql.rows(SQLITE_SEARCH, match=match, limit=limit, **statuses)
    ids = [UUID(str(row["id"])) for row in found]
    articles = {article.id: article for article in await Article.filter(id__in=ids)}
    hits = [
        Hit(articles[UUID(str(row["id"]))], float(row["rank"]), _highlighted(row["snippet"]))  # type: ignore[arg-type]
        for row in found
        if UUID(str(row["id"])) in articles
    ]
    logged = await KnowledgeSearch.create(
        query=query,
        normalized_query=normalized(query),
        results_count=len(hits),
        article_ids=[str(hit.article.id) for hit in hits],
        include_drafts=include_drafts,
        actor=current_actor()[:100],
        channel=channel[:16],
    )
    return SearchResult(logged, hits)


async def record_view(search_id: UUID, article_id: UUID) -> KnowledgeSearch:
    """The searcher opened `article_id`, one of the search's results (the first one opened is
    kept: it is the answer the search led to)."""
    async with in_transaction():
        logged = await KnowledgeSearch.select_for_update().get_or_none(id=search_id)
        if logged is None:
            raise NotFound("No knowledge search with this id.", field="searchId")
        if not await Article.exists(id=article_id):
            raise NotFound("No article with this id.", field="articleId")
        if str(article_id) not in logged.article_ids:
            raise InvalidInput("This article was not among the search's results.",
                               field="articleId")  # fmt: skip
        if logged.opened_article_id is None:
            logged.opened_article_id = article_id
            logged.opened_at = datetime.now(UTC)
            await logged.save(update_fields=["opened_article_id", "opened_at"])
    return logged


async def link_search_to_ticket(search_id: UUID, ticket_id: UUID) -> KnowledgeSearch:
    """For the support area: a ticket was opened after this search (it did not deflect).
    Idempotent for the same ticket; a search already followed by another ticket is refused."""
    async with in_transaction():
        logged = await KnowledgeSearch.select_for_update().get_or_none(id=search_id)
        if logged is None:
            raise NotFound("No knowledge search with this id.", field="searchId")
        if logged.ticket_id == ticket_id:
            return logged
        if logged.ticket_id is not None:
            raise SearchAlreadyLinked(
                "This search is already followed by another ticket.", field="searchId"
            )
        logged.ticket_id = ticket_id
        await logged.save(update_fields=["ticket_id"])
    return logged


__all__ = [
    "CONFIG",
    "Hit",
    "SearchResult",
    "fts5_match",
    "index",
    "link_search_to_ticket",
    "normalized",
    "record_view",
    "search_articles",
    "unindex",
]
