"""The search rows' sort key holds any issue number the URLs allow.

It was ``(year * 100 + number) * 10**10 + article id``: issue 150 of 2014 fell
into 2015. It is now ``(year * 10000 + number) * 10**10 + article id``
(``articles.search.issue_base``), recomputed here for every row, with each
row's copy of its issue's publication time. From now on database triggers
keep both copies current (``articles/triggers.py``, installed after every
migrate).
"""

from django.db import migrations

# The SQLite full-text table's update trigger, narrowed to the text columns
# (articles/triggers.py keeps it so), before every row's key is rewritten.
SQLITE_NARROWER_FTS_TRIGGER = [
    "DROP TRIGGER IF EXISTS articles_search_au",
    "CREATE TRIGGER articles_search_au AFTER UPDATE OF title, head, body"
    " ON articles_articlesearch BEGIN "
    "INSERT INTO articles_search_fts(articles_search_fts, rowid, title, head, body) "
    "VALUES ('delete', old.article_id, old.title, old.head, old.body); "
    "INSERT INTO articles_search_fts(rowid, title, head, body) "
    "VALUES (new.article_id, new.title, new.head, new.body); END",
]

RECOMPUTE = """
    UPDATE articles_articlesearch
       SET sort_key = (
               SELECT (i.year * {span} + i.number) * 10000000000 FROM articles_article a
               JOIN magazine_issue i ON i.id = a.issue_id
               WHERE a.id = articles_articlesearch.article_id
           ) + article_id,
           published_at = (
               SELECT i.published_at FROM articles_article a
               JOIN magazine_issue i ON i.id = a.issue_id
               WHERE a.id = articles_articlesearch.article_id
           )
"""


def recompute(span):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in SQLITE_NARROWER_FTS_TRIGGER:
                schema_editor.execute(statement)
        schema_editor.execute(RECOMPUTE.format(span=span))

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_reading_index"),
        ("magazine", "0005_issue_number_up_to_9999"),
    ]

    operations = [migrations.RunPython(recompute(10000), recompute(100))]
