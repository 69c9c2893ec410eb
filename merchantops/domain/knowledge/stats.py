"""The knowledge base's figures over a period, computed by the database.

Counted are the searches of the period (`from` inclusive, `to` exclusive) made by readers:
a staff search that includes drafts is editorial work, left out. Of those:

- *zero-result searches*: found nothing (and the ten queries that most often found nothing,
  grouped lower-cased with blanks collapsed): the articles missing;
- *searches with an opened article*: the searcher opened one of the results;
- *searches without a ticket*: no ticket was opened after them (the support area links a
  ticket to the search that preceded it, `search.link_search_to_ticket`).

**Deflection rate** = searches without a ticket / searches, or none when there were no
searches: the share of searches after which the customer did not need to ask a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from merchantops.domain.knowledge import sql
from merchantops.errors import InvalidInput

TOP_ZERO_RESULT = 10

COUNTS = """
SELECT COUNT(*) AS searches,
       COALESCE(SUM(CASE WHEN results_count = 0 THEN 1 ELSE 0 END), 0) AS zero_results,
       COALESCE(SUM(CASE WHEN opened_article_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS opened,
       COALESCE(SUM(CASE WHEN ticket_id IS NULL THEN 1 ELSE 0 END), 0) AS without_ticket
FROM knowledge_search
WHERE tenant_id = :tenant AND include_drafts = :drafts
  AND created_at >= :start AND created_at < :stop
"""
ZERO_RESULT_QUERIES = """
SELECT normalized_query AS query, COUNT(*) AS searches
FROM knowledge_search
WHERE tenant_id = :tenant AND include_drafts = :drafts
  AND created_at >= :start AND created_at < :stop AND results_count = 0
GROUP BY normalized_query
ORDER BY searches DESC, normalized_query
LIMIT :top
"""


@dataclass(frozen=True, slots=True)
class QueryCount:
    query: str
    searches: int


@dataclass(frozen=True, slots=True)
class KnowledgeStats:
    start: datetime
    stop: datetime
    searches: int
    zero_result_searches: int
    searches_with_opened_article: int
    searches_without_ticket: int
    top_zero_result_queries: list[QueryCount]

    @property
    def deflection_rate(self) -> float | None:
        return self.searches_without_ticket / self.searches if self.searches else None


async def knowledge_stats(start: datetime, stop: datetime) -> KnowledgeStats:
    if start.tzinfo is None or stop.tzinfo is None:
        raise InvalidInput("Give times with their UTC offset.", field="from")
    if stop <= start:
        raise InvalidInput("'to' must come after 'from'.", field="to")
    window = {"start": start, "stop": stop, "drafts": False}
    counts = (await sql.rows(COUNTS, **window))[0]
    top = await sql.rows(ZERO_RESULT_QUERIES, top=TOP_ZERO_RESULT, **window)
    return KnowledgeStats(
        start=start,
        stop=stop,
        searches=int(counts["searches"]),
        zero_result_searches=int(counts["zero_results"]),
        searches_with_opened_article=int(counts["opened"]),
        searches_without_ticket=int(counts["without_ticket"]),
        top_zero_result_queries=[
            QueryCount(str(row["query"]), int(row["searches"])) for row in top
        ],
    )


__all__ = ["KnowledgeStats", "QueryCount", "knowledge_stats"]
