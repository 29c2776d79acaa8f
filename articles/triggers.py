"""Rules the database keeps itself, whatever writes to it: triggers.

* **An article's page is a page of the article's issue**, and so is the page
  of each of its areas on a scan. Checked when an article or an area is
  written, when a page changes issue while holding articles or areas, and
  when an article changes issue while it has areas, so no route (a form,
  History's restore, ``QuerySet.update()``, raw SQL) can put one issue's
  article on another issue's page: a draft's text would show on a published
  page. A violation is an ``IntegrityError``.
* **Search rows follow their issue.** Each ``ArticleSearch`` row keeps
  copies of its issue's order (``sort_key``) and publication time, so that a
  search reads one table; they are rewritten on every change of an issue's
  year, number or publication time and of an article's issue, so a
  withdrawn issue's text is never found.

``install()`` runs after every ``migrate`` (a ``post_migrate`` receiver
connected in ``ArticlesConfig.ready()``), idempotently: SQLite drops a
table's triggers when a migration rebuilds the table, so they are put back
each time; on SQLite they are all dropped before it (``pre_migrate``), as a
rebuild fails under another table's trigger that names the table.
``missing()`` names any that are not in place (a test asks).
"""

from django.db import connections

# articles.search.issue_base in SQL: (year * NUMBER_SPAN + number) * ISSUE_SPAN.
_KEY = "({issue}.year * 10000 + {issue}.number) * 10000000000"
_PAGE_IN_ISSUE = "article_page_in_issue: an article may only be on a page of its own issue"

POSTGRESQL = {
    "articles_page_in_issue": [
        f"""
        CREATE OR REPLACE FUNCTION articles_page_in_issue() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            -- FOR SHARE: a concurrent move of the page waits for this row.
            IF NEW.section_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM sections_section
                WHERE id = NEW.section_id AND issue_id = NEW.issue_id FOR SHARE
            ) THEN
                RAISE EXCEPTION '{_PAGE_IN_ISSUE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        """,
        """
        CREATE OR REPLACE TRIGGER articles_page_in_issue
        BEFORE INSERT OR UPDATE OF issue_id, section_id ON articles_article
        FOR EACH ROW EXECUTE FUNCTION articles_page_in_issue()
        """,
    ],
    "articles_page_keeps_its_articles_issue": [
        f"""
        CREATE OR REPLACE FUNCTION articles_page_keeps_its_articles_issue() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM articles_article
                WHERE section_id = NEW.id AND issue_id <> NEW.issue_id
            ) OR EXISTS (
                SELECT 1 FROM articles_articlearea ar
                JOIN articles_article a ON a.id = ar.article_id
                WHERE ar.section_id = NEW.id AND a.issue_id <> NEW.issue_id
            ) THEN
                RAISE EXCEPTION '{_PAGE_IN_ISSUE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$
        """,
        """
        CREATE OR REPLACE TRIGGER articles_page_keeps_its_articles_issue
        AFTER UPDATE OF issue_id ON sections_section
        FOR EACH ROW WHEN (OLD.issue_id IS DISTINCT FROM NEW.issue_id)
        EXECUTE FUNCTION articles_page_keeps_its_articles_issue()
        """,
    ],
    "articles_area_in_issue": [
        f"""
        CREATE OR REPLACE FUNCTION articles_area_in_issue() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (
                SELECT 1 FROM articles_article a
                JOIN sections_section s ON s.issue_id = a.issue_id
                WHERE a.id = NEW.article_id AND s.id = NEW.section_id
                FOR SHARE
            ) THEN
                RAISE EXCEPTION '{_PAGE_IN_ISSUE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        END $$
        """,
        """
        CREATE OR REPLACE TRIGGER articles_area_in_issue
        BEFORE INSERT OR UPDATE OF article_id, section_id ON articles_articlearea
        FOR EACH ROW EXECUTE FUNCTION articles_area_in_issue()
        """,
    ],
    "articles_article_keeps_its_areas_issue": [
        f"""
        CREATE OR REPLACE FUNCTION articles_article_keeps_its_areas_issue() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM articles_articlearea ar
                JOIN sections_section s ON s.id = ar.section_id
                WHERE ar.article_id = NEW.id AND s.issue_id <> NEW.issue_id
            ) THEN
                RAISE EXCEPTION '{_PAGE_IN_ISSUE}' USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$
        """,
        """
        CREATE OR REPLACE TRIGGER articles_article_keeps_its_areas_issue
        AFTER UPDATE OF issue_id ON articles_article
        FOR EACH ROW WHEN (OLD.issue_id IS DISTINCT FROM NEW.issue_id)
        EXECUTE FUNCTION articles_article_keeps_its_areas_issue()
        """,
    ],
    "articles_search_follows_issue": [
        f"""
        CREATE OR REPLACE FUNCTION articles_search_follows_issue() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE articles_articlesearch s
               SET sort_key = {_KEY.format(issue="NEW")}::bigint + s.article_id,
                   published_at = NEW.published_at
              FROM articles_article a
             WHERE a.id = s.article_id AND a.issue_id = NEW.id;
            RETURN NULL;
        END $$
        """,
        """
        CREATE OR REPLACE TRIGGER articles_search_follows_issue
        AFTER UPDATE OF year, number, published_at ON magazine_issue
        FOR EACH ROW WHEN (
            OLD.year IS DISTINCT FROM NEW.year
            OR OLD.number IS DISTINCT FROM NEW.number
            OR OLD.published_at IS DISTINCT FROM NEW.published_at
        )
        EXECUTE FUNCTION articles_search_follows_issue()
        """,
    ],
    "articles_search_follows_article": [
        f"""
        CREATE OR REPLACE FUNCTION articles_search_follows_article() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE articles_articlesearch s
               SET sort_key = {_KEY.format(issue="i")}::bigint + s.article_id,
                   published_at = i.published_at
              FROM magazine_issue i
             WHERE s.article_id = NEW.id AND i.id = NEW.issue_id;
            RETURN NULL;
        END $$
        """,
        """
        CREATE OR REPLACE TRIGGER articles_search_follows_article
        AFTER UPDATE OF issue_id ON articles_article
        FOR EACH ROW WHEN (OLD.issue_id IS DISTINCT FROM NEW.issue_id)
        EXECUTE FUNCTION articles_search_follows_article()
        """,
    ],
}

_SQLITE_PAGE_NOT_IN_ISSUE = """
    NEW.section_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM sections_section WHERE id = NEW.section_id AND issue_id = NEW.issue_id
    )
"""
_SQLITE_AREA_NOT_IN_ISSUE = """
    NOT EXISTS (
        SELECT 1 FROM articles_article a JOIN sections_section s ON s.issue_id = a.issue_id
        WHERE a.id = NEW.article_id AND s.id = NEW.section_id
    )
"""
SQLITE = {
    "articles_page_in_issue": [
        f"""
        CREATE TRIGGER articles_page_in_issue BEFORE INSERT ON articles_article
        WHEN {_SQLITE_PAGE_NOT_IN_ISSUE}
        BEGIN SELECT RAISE(ABORT, '{_PAGE_IN_ISSUE}'); END
        """,
    ],
    "articles_page_in_issue_on_update": [
        f"""
        CREATE TRIGGER articles_page_in_issue_on_update
        BEFORE UPDATE OF issue_id, section_id ON articles_article
        WHEN {_SQLITE_PAGE_NOT_IN_ISSUE}
        BEGIN SELECT RAISE(ABORT, '{_PAGE_IN_ISSUE}'); END
        """,
    ],
    "articles_page_keeps_its_articles_issue": [
        f"""
        CREATE TRIGGER articles_page_keeps_its_articles_issue
        BEFORE UPDATE OF issue_id ON sections_section
        WHEN OLD.issue_id IS NOT NEW.issue_id AND (
            EXISTS (
                SELECT 1 FROM articles_article
                WHERE section_id = NEW.id AND issue_id IS NOT NEW.issue_id
            ) OR EXISTS (
                SELECT 1 FROM articles_articlearea ar
                JOIN articles_article a ON a.id = ar.article_id
                WHERE ar.section_id = NEW.id AND a.issue_id IS NOT NEW.issue_id
            )
        )
        BEGIN SELECT RAISE(ABORT, '{_PAGE_IN_ISSUE}'); END
        """,
    ],
    "articles_area_in_issue": [
        f"""
        CREATE TRIGGER articles_area_in_issue BEFORE INSERT ON articles_articlearea
        WHEN {_SQLITE_AREA_NOT_IN_ISSUE}
        BEGIN SELECT RAISE(ABORT, '{_PAGE_IN_ISSUE}'); END
        """,
    ],
    "articles_area_in_issue_on_update": [
        f"""
        CREATE TRIGGER articles_area_in_issue_on_update
        BEFORE UPDATE OF article_id, section_id ON articles_articlearea
        WHEN {_SQLITE_AREA_NOT_IN_ISSUE}
        BEGIN SELECT RAISE(ABORT, '{_PAGE_IN_ISSUE}'); END
        """,
    ],
    "articles_article_keeps_its_areas_issue": [
        f"""
        CREATE TRIGGER articles_article_keeps_its_areas_issue
        BEFORE UPDATE OF issue_id ON articles_article
        WHEN OLD.issue_id IS NOT NEW.issue_id AND EXISTS (
            SELECT 1 FROM articles_articlearea ar
            JOIN sections_section s ON s.id = ar.section_id
            WHERE ar.article_id = NEW.id AND s.issue_id IS NOT NEW.issue_id
        )
        BEGIN SELECT RAISE(ABORT, '{_PAGE_IN_ISSUE}'); END
        """,
    ],
    "articles_search_follows_issue": [
        f"""
        CREATE TRIGGER articles_search_follows_issue
        AFTER UPDATE OF year, number, published_at ON magazine_issue
        WHEN OLD.year IS NOT NEW.year OR OLD.number IS NOT NEW.number
            OR OLD.published_at IS NOT NEW.published_at
        BEGIN
            UPDATE articles_articlesearch
               SET sort_key = {_KEY.format(issue="NEW")} + article_id,
                   published_at = NEW.published_at
             WHERE article_id IN (SELECT id FROM articles_article WHERE issue_id = NEW.id);
        END
        """,
    ],
    "articles_search_follows_article": [
        f"""
        CREATE TRIGGER articles_search_follows_article
        AFTER UPDATE OF issue_id ON articles_article
        WHEN OLD.issue_id IS NOT NEW.issue_id
        BEGIN
            UPDATE articles_articlesearch
               SET sort_key = (
                       SELECT {_KEY.format(issue="i")} FROM magazine_issue i
                       WHERE i.id = NEW.issue_id
                   ) + article_id,
                   published_at = (
                       SELECT published_at FROM magazine_issue WHERE id = NEW.issue_id
                   )
             WHERE article_id = NEW.id;
        END
        """,
    ],
    # The full-text table is rewritten when a row's text changes, not when an
    # issue's publication moves the row's copies.
    "articles_search_au": [
        """
        CREATE TRIGGER articles_search_au AFTER UPDATE OF title, head, body
        ON articles_articlesearch BEGIN
            INSERT INTO articles_search_fts(articles_search_fts, rowid, title, head, body)
            VALUES ('delete', old.article_id, old.title, old.head, old.body);
            INSERT INTO articles_search_fts(rowid, title, head, body)
            VALUES (new.article_id, new.title, new.head, new.body);
        END
        """,
    ],
}

TRIGGERS = {"postgresql": POSTGRESQL, "sqlite": SQLITE}


def install(using="default"):
    """Create or replace every trigger on the database ``using``."""
    connection = connections[using]
    triggers = TRIGGERS.get(connection.vendor, {})
    with connection.cursor() as cursor:
        for name, statements in triggers.items():
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for statement in statements:
                cursor.execute(statement)


def missing(using="default"):
    """The names of the triggers that should be there and are not."""
    connection = connections[using]
    wanted = set(TRIGGERS.get(connection.vendor, {}))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor}
    return sorted(wanted - present)


TABLES = {
    "magazine_issue",
    "sections_section",
    "articles_article",
    "articles_articlesearch",
    "articles_articlearea",
}


def drop_before_migrate(sender, using="default", **kwargs):
    """The ``pre_migrate`` receiver (for the articles app), on SQLite: its triggers
    go before any migration runs. SQLite adds or changes a column by rebuilding the
    table, and a trigger of another table that names it makes the rebuild fail ("no
    such table"); ``install_after_migrate`` puts them all back."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS["sqlite"]:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_after_migrate(sender, using="default", **kwargs):
    """The ``post_migrate`` receiver (for the articles app): once per migrate,
    unless the tables are not all there (a migration back to an early state)."""
    if TABLES <= set(connections[using].introspection.table_names()):
        install(using)
