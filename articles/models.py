"""Articles and the authors named in their bylines."""

from functools import cached_property

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles import sql
from articles.bylines import author_names
from articles.textformat import clean_lines
from infra import validators
from infra.chinese_script import to_simplified
from infra.images import DatedUploadPath, RenditionsMixin, SafeImageField
from infra.owned_files import OwnedFilesMixin
from infra.versions import VersionedHistory, version_field
from magazine import addresses
from magazine.models import Issue


class AuthorQuerySet(models.QuerySet):
    def published(self, now=None):
        """Authors readers may see: with an article in a published issue (may repeat)."""
        return self.filter(articles__issue__in=Issue.objects.published(now))

    def stored_name(self, typed):
        """The name as it is stored for a name a reader typed: as typed, or, when
        no author has that name, its Simplified form (滕將華 is 滕将华) if one has."""
        simplified = to_simplified(typed)
        if simplified == typed:
            return typed
        known = set(self.filter(name__in=[typed, simplified]).values_list("name", flat=True))
        return simplified if simplified in known and typed not in known else typed


class Author(models.Model):
    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[validators.single_line]
    )

    objects = AuthorQuerySet.as_manager()
    # A new name changes the author's public page and the index: a correction
    # when readers see them (editorial.corrections), and restorable.
    history = HistoricalRecords()

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

    @classmethod
    def from_db(cls, db, field_names, values):
        author = super().from_db(db, field_names, values)
        author.loaded_name = author.__dict__.get("name")  # a rename is named in corrections
        return author


# Placed articles in page order, then position; unplaced ones after them.
READING_ORDER = (
    models.F("section__position").asc(nulls_last=True),
    "section_id",
    "position",
    "id",
)


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(issue__in=Issue.objects.published(now))

    def in_reading_order(self):
        return self.order_by(*READING_ORDER)

    def renumber(self, issue_id):
        """Write ``reading_index`` (0, 1, ...) for ``issue_id``'s articles in reading order.

        Kept on every change to the order (``articles.reading_order``), so an
        article's neighbours are two index lookups in the query that reads it
        instead of a sort of its whole issue. Only the rows whose place changed
        are written, 500 at a time (an imported issue may move thousands).
        """
        articles = type(self)(self.model, using=self.db)  # whatever self is filtered to
        rows = (
            articles.filter(issue_id=issue_id).in_reading_order().values_list("id", "reading_index")
        )
        moved = [(pk, index) for index, (pk, old) in enumerate(rows) if old != index]
        for start in range(0, len(moved), 500):
            batch = [
                self.model(id=pk, reading_index=index) for pk, index in moved[start : start + 500]
            ]
            articles.bulk_update(batch, ["reading_index"])
        return len(moved)

    def for_reading(self):
        """What an article's own page shows of it, in one query.

        With its issue and page, ``has_images`` (most have none: no images
        query then) and its neighbours in the issue's reading order,
        ``previous_id``/``previous_title`` and ``next_id``/``next_title``
        (None at either end): lookups of ``reading_index`` either side.
        """
        return self.select_related("issue", "section").annotate(**sql.reading_annotations())

    def newest_issue_first(self):
        """The newest issue's articles in reading order, then the issue before..."""
        return self.order_by("-issue__year", "-issue__number", *READING_ORDER)

    def for_listing(self):
        return self.select_related("issue", "section")

    def for_contents(self):
        """What a table of contents shows of each article, in order on its page: rows."""
        return self.order_by("position", "id").values_list(
            "pk", "section_id", "kicker", "title", "subtitle", "byline", named=True
        )


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
    # Drafted from a scanned page read by OCR (articles.pdf_articles): said on its
    # form until an editor saves it, having read it against the scan.
    from_ocr = models.BooleanField(
        _("text read by OCR"),
        default=False,
        editable=False,
        help_text=_("Drafted from a scan read by OCR; an editor's save clears it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Derived from the order of pages and positions, never edited by hand:
    # see ArticleQuerySet.renumber.
    reading_index = models.PositiveIntegerField(null=True, editable=False)
    version = version_field()  # a save from an older version is refused

    objects = ArticleQuerySet.as_manager()
    history = VersionedHistory(excluded_fields=["updated_at", "reading_index"])

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
        for derived in ("paragraphs", "summary", "author_names"):  # cached: read afresh
            self.__dict__.pop(derived, None)
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
        if self.pk is not None and self.issue_id is not None:
            # Its areas are on its issue's pages (the database holds that rule): an
            # article with areas cannot move to another issue until they are deleted.
            elsewhere = self.areas.exclude(section__issue_id=self.issue_id)
            pages = sorted(set(elsewhere.values_list("section__code", flat=True)))
            if pages:
                raise ValidationError(
                    {
                        "issue": _(
                            "The article has areas on pages %(pages)s of its issue: delete "
                            "them (on those pages' forms) before moving it to another issue."
                        )
                        % {"pages": "、".join(pages)}
                    }
                )
        if self.body is not None and not normalise_lines(self.body):
            raise ValidationError({"body": _("The body needs at least one paragraph.")})

    @cached_property
    def paragraphs(self):
        return self.body.split("\n") if self.body else []

    @cached_property
    def summary(self):
        """The first paragraph, cut at 120 characters: the page's description."""
        return Truncator(self.paragraphs[0]).chars(120) if self.paragraphs else ""

    @cached_property
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
        # A circle on purpose: the search reads the models, and storing an
        # article (the one way there is) indexes it; imported when called.
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


class ArticleImage(OwnedFilesMixin, RenditionsMixin, models.Model):
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


def _fraction(name):
    return models.FloatField(
        name,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("A fraction of the page's width or height, from 0 to 1."),
    )


class ArticleAreaQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(article__issue__in=Issue.objects.published(now))

    def of_article_on(self, article, section):
        """Where ``article`` stands on ``section``: its areas there, ``(x, y, w, h)``
        rows."""
        return (
            self.filter(article=article, section=section)
            .order_by("y", "x", "id")
            .values_list("x", "y", "w", "h")
        )

    def on_page(self, section):
        """The page's areas in reading order, ``(article id, title, x, y, w, h)`` rows
        (instances, with their articles, cost twice as much to read for a page's 30)."""
        return (
            self.filter(section=section)
            .order_by("article__reading_index", "y", "x", "id")
            .values_list("article_id", "article__title", "x", "y", "w", "h")
        )


class ArticleArea(models.Model):
    """Where an article is printed on a page's scan (热区): a rectangle in fractions of
    the page (``x, y, w, h``), so that it fits every rendition of the scan. An
    article may have several on a page, and areas on several pages (转版)."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="areas", verbose_name=_("article")
    )
    section = models.ForeignKey(
        "sections.Section", on_delete=models.CASCADE, related_name="areas", verbose_name=_("page")
    )
    x = _fraction(_("left"))
    y = _fraction(_("top"))
    w = _fraction(_("width"))
    h = _fraction(_("height"))
    # Found in the print PDF (articles.found_areas) rather than drawn: shown apart in
    # the area editor until an editor touches it, and found again by a re-upload.
    found = models.BooleanField(
        _("found"),
        default=False,
        help_text=_("Found in the print PDF's text; an editor's change makes it theirs."),
    )
    confidence = models.FloatField(
        _("confidence"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("How sure the finding was, from 0 to 1."),
    )

    objects = ArticleAreaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("article area")
        verbose_name_plural = _("article areas")
        ordering = ["section", "y", "x", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(x__gte=0, y__gte=0, w__gt=0, h__gt=0, x__lte=1, y__lte=1),
                name="article_area_in_page",
            ),
            models.CheckConstraint(
                # A hair of slack: 1 - x in floating point may fall just under w.
                condition=models.Q(
                    w__lte=1.000001 - models.F("x"), h__lte=1.000001 - models.F("y")
                ),
                name="article_area_within_page",
            ),
        ]

    def __str__(self):
        return _("%(title)s on %(page)s") % {"title": self.article.title, "page": self.section}

    def clean(self):
        super().clean()
        errors = {}
        if self.x is not None and self.w is not None and self.x + self.w > 1.000001:
            errors["w"] = _("The area goes past the right edge of the page.")
        if self.y is not None and self.h is not None and self.y + self.h > 1.000001:
            errors["h"] = _("The area goes past the bottom of the page.")
        section = self._section_given()
        if self.article_id and section is not None and self.article.issue_id != section.issue_id:
            # Checked here as well as by the database (articles/triggers.py), so that a
            # new page's rows get a message on the form, not an error on save.
            errors["article"] = _("The article belongs to another issue than this page.")
        if errors:
            raise ValidationError(errors)

    def _section_given(self):
        """The page, also a new one not saved yet (an area row on a new page's form)."""
        if self.section_id is not None:
            return self.section
        return self._state.fields_cache.get("section")

    @property
    def box(self):
        return [self.x, self.y, self.w, self.h]


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


# Proofing's records live in their own module; Django finds models where the
# app's models module imports them.
from articles.proofing_records import (  # noqa: E402, F401
    IgnoredFinding,
    ProofCheck,
    ProofFinding,
    ProofRound,
    WrongWord,
)
