"""The text index beside the entry table: an FTS5 table on SQLite, a tsvector column with a GIN
index on PostgreSQL. Other databases get no text index (the search service refuses them)."""

from django.db import migrations

SQLITE_FORWARD = [
    # Terms arrive normalised and separated by spaces; the tokenizer keeps underscores (the
    # index's own tokens) and combining marks inside words, and changes nothing else.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, body, meta, "
    "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_' categories 'L* N* Co M*'\")",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts"]
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchentry ADD COLUMN tsv tsvector NOT NULL DEFAULT ''",
    "CREATE INDEX search_entry_tsv ON search_searchentry USING gin (tsv)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_tsv",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
