"""SQLite: the facet values of each entry in an index beside its id.

A search reads the facet values of the thousands of records it matched, found by id from the
text index. The id is not the table's rowid (a BIGINT primary key is an index of its own), so
each read looked the id up in that index, then the row in the table; this index holds both, so a
read is one lookup in a smaller b-tree. PostgreSQL reads the rows anyway, to recheck them.
"""

from django.db import migrations

SQLITE_FORWARD = "CREATE INDEX search_entry_facets ON search_searchentry (id, facet_values)"
SQLITE_BACKWARD = "DROP INDEX IF EXISTS search_entry_facets"


def _run(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_phrase_pairs")]

    operations = [migrations.RunPython(_run(SQLITE_FORWARD), _run(SQLITE_BACKWARD))]
