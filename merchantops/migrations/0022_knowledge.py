"""The knowledge base (domain/knowledge): categories, articles, their versions and the search
log; then its full-text search, by dialect (`domain/knowledge/search.py`): on PostgreSQL a
generated `tsvector` column on `article` (title weight A, search text weight B, the `english`
configuration) with a GIN index, on SQLite an FTS5 table with the `porter` tokenizer and a
trigger dropping a tenant's entries with the tenant; then row-level security and keys Citus
can distribute (`rls.protect_every_tenant_table`, `citus.use_composite_keys`, both idempotent
and PostgreSQL only). Its tables reference no older tenant table, so it needs no
`citus.referable_by_id` first.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from merchantops.domain.knowledge.models import ArticleStatus
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

from merchantops.dbengine import citus, rls

POSTGRES_SEARCH = [
    """ALTER TABLE "article" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce("title", '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce("search_text", '')), 'B')
    ) STORED""",
    'CREATE INDEX "article_search_vector" ON "article" USING GIN ("search_vector")',
]
SQLITE_SEARCH = [
    """CREATE VIRTUAL TABLE "article_search" USING fts5(
        tenant_id UNINDEXED, article_id UNINDEXED, title, body,
        tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
    # a purge deletes the tenant's articles without the service, the tenant row last
    """CREATE TRIGGER "article_search_gone" AFTER DELETE ON "tenant" BEGIN
        DELETE FROM "article_search" WHERE tenant_id = old.id;
    END""",
]


async def _search(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    for statement in POSTGRES_SEARCH if postgres else SQLITE_SEARCH:
        await client.execute_script(statement)


async def _no_search(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    client = schema_editor.client
    if client.capabilities.dialect == "postgres":
        await client.execute_script('ALTER TABLE "article" DROP COLUMN IF EXISTS "search_vector"')
    else:
        await client.execute_script('DROP TRIGGER IF EXISTS "article_search_gone"')
        await client.execute_script('DROP TABLE IF EXISTS "article_search"')


async def _forward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    await rls.protect_every_tenant_table(schema_editor.client)
    await citus.use_composite_keys(schema_editor.client)


async def _backward(apps, schema_editor) -> None:  # type: ignore[no-untyped-def]
    pass  # the tables' removal takes their policies and keys with them


class Migration(migrations.Migration):
    dependencies = [('merchantops', '0021_calendars')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ArticleCategory',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('slug', fields.CharField(max_length=80)),
                ('position', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'article_category', 'app': 'merchantops', 'unique_together': (('tenant', 'slug'),), 'pk_attr': 'id', 'table_description': 'A section of the knowledge base.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='Article',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('category', fields.ForeignKeyField('merchantops.ArticleCategory', source_field='category_id', db_constraint=True, to_field='id', related_name='articles', on_delete=OnDelete.RESTRICT)),
                ('slug', fields.CharField(max_length=120)),
                ('status', fields.CharEnumField(default=ArticleStatus.DRAFT, description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED', enum_type=ArticleStatus, max_length=16)),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(default='', unique=False)),
                ('search_text', fields.TextField(default='', unique=False)),
                ('published_version', fields.IntField(null=True)),
                ('latest_version', fields.IntField(default=1)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'article', 'app': 'merchantops', 'unique_together': (('tenant', 'slug'),), 'indexes': [Index(fields=['tenant_id', 'status']), Index(fields=['tenant_id', 'category_id'])], 'pk_attr': 'id', 'table_description': "A knowledge-base article: its live version's text, searchable once published."},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='ArticleVersion',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('article', fields.ForeignKeyField('merchantops.Article', source_field='article_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(default='', unique=False)),
                ('author', fields.CharField(max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'article_version', 'app': 'merchantops', 'unique_together': (('tenant', 'article', 'number'),), 'pk_attr': 'id', 'table_description': 'One edit of an article: its title and markdown body as the author left them.'},
            bases=['TenantModel'],
        ),
        ops.CreateModel(
            name='KnowledgeSearch',
            fields=[
                ('tenant', fields.ForeignKeyField('merchantops.Tenant', source_field='tenant_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('query', fields.CharField(max_length=500)),
                ('normalized_query', fields.CharField(max_length=500)),
                ('results_count', fields.IntField()),
                ('article_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('include_drafts', fields.BooleanField(default=False)),
                ('actor', fields.CharField(max_length=100)),
                ('channel', fields.CharField(max_length=16)),
                ('opened_article_id', fields.UUIDField(null=True)),
                ('opened_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ticket_id', fields.UUIDField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'knowledge_search', 'app': 'merchantops', 'indexes': [Index(fields=['tenant_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'One search of the knowledge base, and what followed it (an opened result, a ticket).'},
            bases=['TenantModel'],
        ),
        ops.RunPython(_search, _no_search),
        ops.RunPython(_forward, _backward),
    ]
