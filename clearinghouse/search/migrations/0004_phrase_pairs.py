"""PostgreSQL: the tsvector of each indexed record also holds the pairs of its adjacent terms,
as lexemes without a position, so that the GIN index finds phrases instead of rereading every
record that holds their words (see the backend). The pairs are made from the positions already
in the tsvector: two terms make a pair when the second's position is the first's plus one, as
for the <-> operator.

Searches read the tsvector and the facet values of thousands of rows, the stored texts of
twenty: the first two stay in the row (STORAGE MAIN), so that a long record moves its texts to
the TOAST table rather than its tsvector (with the default layout a third of the tsvectors went
there, and every row read cost a lookup).
"""

from django.db import migrations

ROW_LAYOUT = """
    ALTER TABLE search_searchentry
        ALTER COLUMN tsv SET STORAGE MAIN,
        ALTER COLUMN facet_values SET STORAGE MAIN
"""
DEFAULT_ROW_LAYOUT = """
    ALTER TABLE search_searchentry
        ALTER COLUMN tsv SET STORAGE EXTENDED,
        ALTER COLUMN facet_values SET STORAGE EXTENDED
"""
PAIRS_FROM_POSITIONS = """
    UPDATE search_searchentry AS entry SET tsv = tsv || coalesce((
        WITH placed AS (SELECT lexeme AS term, unnest(positions) AS place FROM unnest(entry.tsv))
        SELECT array_to_tsvector(array_agg(DISTINCT first.term || ' ' || second.term))
        FROM placed AS first JOIN placed AS second ON second.place = first.place + 1
    ), '')
"""
# Pairs are the lexemes with a space; words and the index's own tokens have none.
WITHOUT_PAIRS = """
    UPDATE search_searchentry SET tsv = ts_delete(
        tsv, ARRAY(SELECT lexeme FROM unnest(tsv) WHERE position(' ' IN lexeme) > 0)
    )
"""


def _run(statement: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_saved_searches")]

    operations = [
        migrations.RunPython(_run(ROW_LAYOUT), _run(DEFAULT_ROW_LAYOUT)),
        migrations.RunPython(_run(PAIRS_FROM_POSITIONS), _run(WITHOUT_PAIRS)),
    ]
