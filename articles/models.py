"""Articles and the authors named in their bylines."""

import functools

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles import reading_order
from articles.bylines import author_names
from articles.reading_order import moves_order
from articles.textformat import clean_lines
from magazine import addresses, validators
from magazine.images import DatedUploadPath, RenditionsMixin, SafeImageField
from magazine.sql_rows import Columns, read_one


class Author(models.Model):
    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[validators.single_line]
    )

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="author_name_not_empty"),
            *validators.no_control_characters_constraints("author", single=["name"]),
        ]

    def __str__(self):
        return self.name


# Placed articles in page order, then position; unplaced ones after them.
READING_ORDER = (
    models.F("section__position").asc(nulls_last=True),
    "section_id",
    "position",
    "id",
)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        from magazine.models import Issue

        return self.filter(issue__in=Issue.objects.published(now))

    def place_on(self, section):
        """Place these articles on ``section`` after the articles already there.

        They keep their relative order; all must belong to the page's issue.
        """
        articles = list(self.in_reading_order())
        if any(article.issue_id != section.issue_id for article in articles):
            raise ValidationError(_("All articles must belong to the page's issue."))
        last = (
            Article.objects.filter(section=section)
            .exclude(pk__in=[a.pk for a in articles])
            .aggregate(last=models.Max("position"))["last"]
        )
        start = 0 if last is None else last + 1
        with transaction.atomic(), reading_order.deferred():
            for offset, article in enumerate(articles):
                article.section, article.position = section, start + offset
                article.save(update_fields=["section", "position", "updated_at"])
        return len(articles)

    def in_reading_order(self):
        return self.order_by(*READING_ORDER)

    # Writes that bypass save() and the signals keep the order too.

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        reading_order.renumber({article.issue_id for article in created})
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        if not moves_order(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        objs = list(objs)
        issues = set(self.filter(pk__in=[a.pk for a in objs]).values_list("issue_id", flat=True))
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        reading_order.renumber(issues | {article.issue_id for article in objs})
        return updated

    def update(self, **kwargs):
        if not moves_order(kwargs):
            return super().update(**kwargs)
        before = dict(self.values_list("pk", "issue_id"))
        updated = super().update(**kwargs)
        after = self.renumber_base().filter(pk__in=before).values_list("issue_id", flat=True)
        reading_order.renumber(set(before.values()) | set(after))
        return updated

    def renumber_base(self):
        """All articles, whatever this queryset is filtered to."""
        return type(self)(self.model, using=self.db)

    def renumber(self, issue_id):
        """Write ``reading_index`` (0, 1, ...) for ``issue_id``'s articles in reading order.

        Kept on every change to the order (``articles.reading_order``), so an
        article's neighbours are two index lookups in the statement that reads
        it, where a window over the whole issue cost a sort of 300 rows on every
        article view. Only the rows whose place changed are written.
        """
        articles = self.renumber_base()
        rows = (
            articles.filter(issue_id=issue_id).in_reading_order().values_list("id", "reading_index")
        )
        moved = [(pk, index) for index, (pk, old) in enumerate(rows) if old != index]
        # Instances 500 at a time: an imported issue of 10,000 articles moves them all.
        for start in range(0, len(moved), 500):
            batch = [
                self.model(id=pk, reading_index=index) for pk, index in moved[start : start + 500]
            ]
            articles.bulk_update(batch, ["reading_index"])
        return len(moved)

    def for_reading(self, pk, published_only=True):
        """Article ``pk`` as its page shows it, in one statement, or None.

        With its issue and page (as ``select_related`` gives them),
        ``has_images`` (most have none: no images query then) and its
        neighbours in the issue's reading order, ``previous`` and ``following``,
        each an ``(id, title)`` pair or None. ``published_only``: None unless
        its issue is published (``published_condition``).
        """
        from magazine.models import published_sql

        connection = connections[self.db]
        sql, parts = _reading_statement(self.model, connection.alias, published_only)
        params = [pk]
        if published_only:
            params += published_sql("i", connection)[1]
        found = read_one(connection.alias, sql, params, parts)
        if found is None:
            return None
        (article, issue, section), rest = found
        if section is not None:
            section.issue = issue  # for its address, without a query
        self.model.issue.field.set_cached_value(article, issue)
        self.model.section.field.set_cached_value(article, section)
        has_images, previous_id, previous_title, next_id, next_title = rest
        article.has_images = bool(has_images)
        article.previous = (previous_id, previous_title) if previous_id else None
        article.following = (next_id, next_title) if next_id else None
        return article

    def newest_issue_first(self):
        """The newest issue's articles in reading order, then the issue before..."""
        return self.order_by("-issue__year", "-issue__number", *READING_ORDER)

    def for_listing(self):
        return self.select_related("issue", "section")

    def for_contents(self):
        """What a table of contents shows of an article, in page order."""
        return self.only(
            "id", "issue_id", "section_id", "position", "kicker", "title", "subtitle", "byline"
        ).order_by("position", "id")


@functools.cache
def _reading_statement(model, using, published_only):
    """The SQL of ``ArticleQuerySet.for_reading`` and its column groups, built once.

    Hand-written (magazine.sql_rows): the ORM took longer to build this query
    than PostgreSQL took to run it. The neighbours are the articles either
    side in ``reading_index``: two index lookups.
    """
    from magazine.models import Issue, published_sql
    from sections.models import Section

    connection = connections[using]
    parts = (Columns(model, "a"), Columns(Issue, "i"), Columns(Section, "s"))
    articles = model._meta.db_table
    images = model._meta.get_field("images").related_model._meta.db_table
    where = "a.id = %s"
    if published_only:
        where += " AND " + published_sql("i", connection)[0]
    sql = f"""
        SELECT {", ".join(part.sql(connection) for part in parts)},
            EXISTS (SELECT 1 FROM {images} im WHERE im.article_id = a.id),
            p.id, p.title, n.id, n.title
        FROM {articles} a
        JOIN {Issue._meta.db_table} i ON i.id = a.issue_id
        LEFT JOIN {Section._meta.db_table} s ON s.id = a.section_id
        LEFT JOIN {articles} p
            ON p.issue_id = a.issue_id AND p.reading_index = a.reading_index - 1
        LEFT JOIN {articles} n
            ON n.issue_id = a.issue_id AND n.reading_index = a.reading_index + 1
        WHERE {where}
    """
    return sql, parts


class Article(models.Model):
    issue = models.ForeignKey(
        "magazine.Issue",
        on_delete=models.CASCADE,
        related_name="articles",
        verbose_name=_("issue"),
    )
    section = models.ForeignKey(
        "sections.Section",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("page"),
        help_text=_("The page (版面) the article is printed on. Empty: not placed yet."),
    )
    position = models.PositiveIntegerField(
        _("position on the page"),
        default=0,
        help_text=_("Order of the article on its page; lower comes first."),
    )
    kicker = models.TextField(
        _("kicker"),
        blank=True,
        default="",
        validators=[validators.multiline],
        help_text=_("The line(s) above the title (引题), one per line."),
    )
    title = models.CharField(
        _("title"), max_length=300, validators=[validators.single_line, validators.not_blank]
    )
    subtitle = models.TextField(
        _("subtitle"),
        blank=True,
        default="",
        validators=[validators.multiline],
        help_text=_("The line(s) below the title (副题), often starting with ——."),
    )
    byline = models.CharField(
        _("byline"),
        max_length=200,
        blank=True,
        default="",
        validators=[validators.single_line],
        help_text=_("As printed, e.g. 文/滕将华 or 本刊记者 陈晓 通讯员 林一帆."),
    )
    body = models.TextField(
        _("body"),
        validators=[validators.multiline],
        help_text=_("One paragraph per line, without indentation. Blank lines are ignored."),
    )
    authors = models.ManyToManyField(
        Author,
        blank=True,
        related_name="articles",
        verbose_name=_("authors"),
        help_text=_("Filled in from the byline when the article is saved."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Derived from the order of pages and positions, never edited by hand:
    # see ArticleQuerySet.renumber.
    reading_index = models.PositiveIntegerField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "reading_index"])

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["issue", "section__position", "position", "id"]
        constraints = [
            # The import format identifies an article within its issue by title.
            models.UniqueConstraint(
                fields=["issue", "title"], name="article_title_unique_in_issue"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="article_title_not_empty"),
            *validators.no_control_characters_constraints(
                "article", single=["title", "byline"], multi=["kicker", "subtitle", "body"]
            ),
        ]
        indexes = [
            models.Index(fields=["section", "position"], name="article_page_order"),
            models.Index(fields=["issue", "reading_index"], name="article_reading_order"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = self.title.strip()
        self.kicker = normalise_lines(self.kicker)
        self.subtitle = normalise_lines(self.subtitle)
        self.byline = self.byline.strip()
        self.body = normalise_lines(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return addresses.article_url(self.pk)

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # The issue it was read in: a move to another issue renumbers both.
        article.loaded_issue_id = article.__dict__.get("issue_id")
        return article

    def clean(self):
        super().clean()
        if self.section_id and self.issue_id and self.section.issue_id != self.issue_id:
            raise ValidationError(
                {"section": _("This page belongs to another issue; choose one of this issue's.")}
            )
        if self.body is not None and not normalise_lines(self.body):
            raise ValidationError({"body": _("The body needs at least one paragraph.")})

    @property
    def paragraphs(self):
        return self.body.split("\n") if self.body else []

    @property
    def author_names(self):
        """Names from the byline, without a query (the linked authors say the same)."""
        return author_names(self.byline)

    @property
    def is_placed(self):
        return self.section_id is not None

    def save_and_index(self, known_authors=None):
        """Save the article and what is derived from it in other tables.

        The one way articles are stored: the importer and the admin both call
        it. ``known_authors`` (name -> id) lets a batch skip looking up the
        authors it has already met.
        """
        from articles.search import index_article

        adding = self._state.adding
        # No savepoint: inside an import's transaction a failure rolls back
        # the whole file anyway.
        with transaction.atomic(savepoint=False):
            self.save()
            self.sync_authors(new=adding, known_authors=known_authors)
            index_article(self)

    def sync_authors(self, new=False, known_authors=None):
        """Link the authors named in the byline, creating them as needed.

        Written with the through table directly: an import calls this for
        every file, and ``authors.set()`` costs three queries more.
        """
        names = author_names(self.byline)
        known = {} if known_authors is None else known_authors
        with transaction.atomic(savepoint=False):
            ids = {name: known[name] for name in names if name in known}
            if len(ids) < len(names):
                ids.update(
                    Author.objects.filter(name__in=[n for n in names if n not in ids]).values_list(
                        "name", "id"
                    )
                )
            missing = [Author(name=n) for n in names if n not in ids]
            if missing:
                # An upsert returns every id, also of a name another import
                # added a moment ago, in one query.
                created = Author.objects.bulk_create(
                    missing, update_conflicts=True, unique_fields=["name"], update_fields=["name"]
                )
                ids.update((author.name, author.pk) for author in created)
            known.update(ids)
            links = Article.authors.through
            if not new:
                links.objects.filter(article_id=self.pk).delete()
            links.objects.bulk_create(links(article_id=self.pk, author_id=ids[n]) for n in names)


def normalise_lines(text):
    """One paragraph (or kicker line) a line, no indentation, no blank lines."""
    return "\n".join(clean_lines(text))


class ArticleImage(RenditionsMixin, models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("article")
    )
    image = SafeImageField(
        _("image"),
        upload_to=DatedUploadPath("images"),
        help_text=_("JPEG, PNG, WebP or GIF, up to 20 MB and 50 million pixels."),
    )
    alt = models.CharField(
        _("alt text"),
        max_length=300,
        validators=[validators.single_line],
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        default="",
        validators=[validators.single_line],
        help_text=_("Printed under it."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["renditions"])

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        # "article_id", not "article": ordering by the relation would follow
        # Article's own ordering and join the issue and page for every list.
        ordering = ["article_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(alt=""), name="article_image_alt_not_empty"),
            *validators.no_control_characters_constraints(
                "article_image", single=["alt", "caption"]
            ),
        ]

    def __str__(self):
        return self.caption or self.alt


class ArticleSearchQuerySet(models.QuerySet):
    def published(self, now=None):
        """The rows of articles readers may see: the rule of ``Issue.objects.published()``
        on the copy of the issue's publication time each row keeps (kept by the
        triggers of migration ``articles 0007``)."""
        return self.filter(published_at__lte=now or timezone.now())


class ArticleSearch(models.Model):
    """The search index row of an article, kept by ``articles.search.index_article``.

    On PostgreSQL ``vector`` holds the article's character pairs, weighted
    (title and kicker A, subtitle and byline B, body D) under a GIN index; on
    SQLite the three text columns feed an FTS5 table through triggers.
    ``sort_key`` (newest issue first) and ``published_at`` (the issue's) are
    copies, so that a search is answered from this table alone, walking
    ``sort_key`` and stopping at the first page for a common word.
    """

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    sort_key = models.BigIntegerField(default=0, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    title = models.TextField(blank=True, default="")
    head = models.TextField(blank=True, default="")
    body = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True)

    objects = ArticleSearchQuerySet.as_manager()

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index")

    def __str__(self):
        return str(self.article_id)
