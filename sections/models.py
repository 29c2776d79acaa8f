"""The page (版面) of an issue, as printed."""

import functools
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import connections, models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles import reading_order
from magazine import addresses, validators
from magazine.images import DatedUploadPath, RenditionsMixin, SafeImageField, validate_pdf
from magazine.models import MAX_PAGES_PER_ISSUE
from magazine.sql_rows import Columns, execute, read_one

# Codes as printed: "0001"/"0002" for the covers, "01".."64" inside,
# "9901"/"9902" for the back covers; letters occur in newspapers ("A01").
CODE_PATTERN = r"^[0-9A-Za-z]{1,8}$"


class SectionKind(models.TextChoices):
    COVER = "cover", _("Cover")
    INNER = "inner", _("Inner page")
    BACK_COVER = "back_cover", _("Back cover")


def kind_for_code(code):
    if len(code) == 4 and code.startswith("00"):
        return SectionKind.COVER
    if len(code) == 4 and code.startswith("99"):
        return SectionKind.BACK_COVER
    return SectionKind.INNER


class SectionQuerySet(models.QuerySet):
    # Moving pages moves their articles in the reading order
    # (Article.reading_index); writes that bypass save() renumber here.

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        updated = super().bulk_update(objs, fields, *args, **kwargs)
        if "position" in fields:
            reading_order.renumber({page.issue_id for page in objs})
        return updated

    def update(self, **kwargs):
        issues = set(self.values_list("issue_id", flat=True)) if "position" in kwargs else set()
        updated = super().update(**kwargs)
        reading_order.renumber(issues)
        return updated

    def for_reading(self, year, number, code, published_only=True):
        """Page ``code`` of issue ``year``-``number`` with its issue, in one statement,
        or None. ``published_only``: None unless the issue is published
        (``published_condition``)."""
        from magazine.models import published_sql

        connection = connections[self.db]
        sql, parts = _reading_statement(self.model, connection.alias, published_only)
        params = [year, number, code]
        if published_only:
            params += published_sql("i", connection)[1]
        found = read_one(connection.alias, sql, params, parts)
        if found is None:
            return None
        (page, issue), _ = found
        page.issue = issue
        return page

    def published(self, now=None):
        from magazine.models import Issue

        return self.filter(issue__in=Issue.objects.published(now))

    def published_names(self, now=None):
        """The names of the pages in published issues, each once, in order.

        A 20-year archive holds some 17,000 pages under a few dozen names:
        DISTINCT read them all (13 ms on every search page). This walks the
        index on ``name`` instead, one step per name (1.2 ms), skipping names
        that only unpublished issues have. Raw SQL for the recursive walk.
        """
        from magazine.models import Issue, published_sql

        pages, issues = self.model._meta.db_table, Issue._meta.db_table
        connection = connections[self.db]
        published, moment = published_sql("i", connection, now)

        def first_name(after=""):
            return f"""(
                SELECT s.name FROM {pages} s
                WHERE {after} EXISTS (
                    SELECT 1 FROM {issues} i WHERE i.id = s.issue_id AND {published}
                )
                ORDER BY s.name LIMIT 1
            )"""

        sql = f"""
            WITH RECURSIVE names(name) AS (
                SELECT {first_name()}
                UNION ALL
                SELECT {first_name(after="s.name > names.name AND")}
                FROM names WHERE names.name IS NOT NULL
            )
            SELECT name FROM names WHERE name IS NOT NULL
        """
        with connection.cursor() as cursor:
            execute(cursor, sql, moment * 2)
            return [name for (name,) in cursor]


@functools.cache
def _reading_statement(model, using, published_only):
    """The SQL of ``SectionQuerySet.for_reading`` and its column groups, built once.

    Hand-written (magazine.sql_rows): the ORM took longer to build this query
    than PostgreSQL took to run it.
    """
    from magazine.models import Issue, published_sql

    connection = connections[using]
    parts = (Columns(model, "s"), Columns(Issue, "i"))
    where = "i.year = %s AND i.number = %s AND s.code = %s"
    if published_only:
        where += " AND " + published_sql("i", connection)[0]
    sql = f"""
        SELECT {", ".join(part.sql(connection) for part in parts)}
        FROM {model._meta.db_table} s
        JOIN {Issue._meta.db_table} i ON i.id = s.issue_id
        WHERE {where}
    """
    return sql, parts


class Section(RenditionsMixin, models.Model):
    issue = models.ForeignKey(
        "magazine.Issue",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("issue"),
    )
    code = models.CharField(
        _("code"),
        max_length=8,
        validators=[RegexValidator(CODE_PATTERN, _("Use 1 to 8 letters or digits, as printed."))],
        help_text=_("The page number as printed, leading zeros kept: 0001, 01, 9901."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=[validators.single_line, validators.not_blank],
        help_text=_("The page's name (版名), e.g. 卷首语 or 本期策划."),
    )
    position = models.PositiveIntegerField(
        _("position"),
        default=0,
        help_text=_("Order of the page in the issue; lower comes first."),
    )
    scan = SafeImageField(
        _("page scan"),
        upload_to=DatedUploadPath("scans"),
        blank=True,
        help_text=_("An image of the printed page: JPEG, PNG, WebP or GIF, up to 20 MB."),
    )
    scan_renditions = models.JSONField(default=dict, blank=True, editable=False)
    pdf = models.FileField(
        _("page PDF"),
        upload_to=DatedUploadPath("pdf"),
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text=_("The printed page as a PDF, if there is one (up to 50 MB)."),
    )

    objects = SectionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["scan_renditions"])

    image_field_name, renditions_field_name = "scan", "scan_renditions"

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["issue", "position", "id"]
        # For the search's list of page names (SectionQuerySet.published_names).
        indexes = [models.Index(fields=["name"], name="section_name_idx")]
        constraints = [
            models.UniqueConstraint(fields=["issue", "code"], name="section_code_unique_in_issue"),
            models.CheckConstraint(
                condition=models.Q(code__regex=CODE_PATTERN), name="section_code_format"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="section_name_not_empty"),
            *validators.no_control_characters_constraints("section", single=["name"]),
        ]

    def __str__(self):
        return _("Page %(code)s %(name)s") % {"code": self.code, "name": self.name}

    def get_absolute_url(self):
        return f"{addresses.pages_prefix(self.issue.year, self.issue.number)}{self.code}/"

    def clean(self):
        super().clean()
        if self.pk is None and self.issue_id is not None:
            pages = Section.objects.filter(issue_id=self.issue_id).count()
            if pages >= MAX_PAGES_PER_ISSUE:
                raise ValidationError(
                    _("This issue already has %(count)s pages, the most an issue can have."),
                    params={"count": pages},
                )
        # The friendly form of the database's rule (articles/triggers.py): the
        # articles on a page belong to its issue, so it cannot leave it.
        if self.pk is not None and self.issue_id is not None:
            articles = self.articles.exclude(issue_id=self.issue_id)
            if articles.exists():
                raise ValidationError(
                    {"issue": _("This page has articles of its issue; it cannot move to another.")}
                )

    @property
    def label(self):
        """The page's number as readers say it: 10版 (Page 10)."""
        return _("Page %(code)s") % {"code": self.code}

    @property
    def kind(self):
        return kind_for_code(self.code)


@dataclass
class PageGroup:
    """Consecutive pages sharing a name (本期策划 10–15版) and their articles."""

    name: str
    sections: list
    articles: list

    @property
    def first(self):
        return self.sections[0]

    @property
    def last(self):
        return self.sections[-1]


def group_consecutive(pages, articles_by_page):
    """``pages`` in order (anything with ``pk`` and ``name``); articles keyed by page id."""
    groups = []
    for page in pages:
        articles = articles_by_page.get(page.pk, [])
        if groups and groups[-1].name == page.name:
            groups[-1].sections.append(page)
            groups[-1].articles.extend(articles)
        else:
            groups.append(PageGroup(page.name, [page], list(articles)))
    return groups
