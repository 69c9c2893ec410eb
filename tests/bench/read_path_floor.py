"""The floor of the read-path benchmark: bare starlette + asyncpg, the same SELECT, same JSON.

Started by `tests/bench/read_path.py` as `uvicorn tests.bench.read_path_floor:app`; reads the
database URL and tenant id from FLOOR_DATABASE_URL and FLOOR_TENANT_ID.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

SELECT = (
    "SELECT id, name, category, stage, created_at, updated_at, contact_name, contact_email "
    "FROM product WHERE tenant_id = $1 ORDER BY name, id LIMIT $2"
)
pool: asyncpg.Pool | None = None


def _partial(text: str) -> str:
    return text[0] + "*" * (len(text) - 2) + text[-1] if len(text) > 2 else "*" * len(text)


def _cursor(offset: int) -> str:
    return base64.b64encode(f"arrayconnection:{offset}".encode()).decode()


async def graphql(request: Request) -> Response:
    await request.body()
    assert pool is not None
    rows = await pool.fetch(SELECT, os.environ["FLOOR_TENANT_ID"], 51)
    edges: list[dict[str, Any]] = [
        {
            "node": {
                "id": base64.b64encode(f"Product:{row['id']}".encode()).decode(),
                "name": row["name"],
                "category": row["category"],
                "stage": row["stage"].upper(),
                "createdAt": row["created_at"].isoformat(),
                "updatedAt": row["updated_at"].isoformat(),
                "contactName": _partial(row["contact_name"]),
                "contactEmail": _partial(row["contact_email"]),
            }
        }
        for row in rows[:50]
    ]
    body = {"data": {"products": {"edges": edges, "pageInfo": {"hasNextPage": len(rows) > 50}}}}
    return Response(json.dumps(body), media_type="application/json")


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    global pool
    pool = await asyncpg.create_pool(os.environ["FLOOR_DATABASE_URL"], min_size=5, max_size=5)
    yield
    await pool.close()


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)
