from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from articles import placement
from articles.finding import LOW_CONFIDENCE
from articles.models import Article, ArticleArea
from editorial.admin.common import (
    AutocompleteAdmin,
    DeskWordingAdmin,
    HistoryAdmin,
    preview,
    thumbnail,
)
from editorial.admin.concurrency import VersionedAdmin, VersionedInline
from editorial.admin.presence import PresenceAdmin
from sections.models import Section


class ArticleOnPageInline(VersionedInline, admin.TabularInline):
    """The page's articles in their order: change the positions to reorder them."""

    model = Article
    fields = ["position", "title", "byline"]
    readonly_fields = ["title", "byline"]
    ordering = ["position", "id"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("article on this page")
    verbose_name_plural = _("articles on this page (change the positions to reorder)")

    def has_add_permission(self, request, obj=None):
        return False


class FractionInput(forms.NumberInput):
    def __init__(self):
        super().__init__(attrs={"step": "0.001", "min": "0", "max": "1", "class": "area-number"})


class ArticleAreaForm(forms.ModelForm):
    """An area found in the print PDF becomes the editor's once they change it: a
    later upload finds again around it, never over it."""

    def save(self, commit=True):
        area = super().save(commit=False)
        if area.found and self.has_changed():
            area.found, area.confidence = False, None
        if commit:
            area.save()
        return area


class ArticleAreaInline(admin.TabularInline):
    """The areas (热区) of the page's scan as numbers: fractions of the page's width and
    height. The scan above draws them and lets them be drawn (area_editor.js);
    without JavaScript these fields are the editor. Areas found in the print PDF
    say so (and how sure the finding was) until an editor changes them."""

    model = ArticleArea
    form = ArticleAreaForm
    fields = ["article", "x", "y", "w", "h", "origin"]
    readonly_fields = ["origin"]
    extra = 0
    classes = ["article-areas"]
    verbose_name = _("article area (热区)")
    verbose_name_plural = _("article areas (热区): left, top, width and height as fractions, 0-1")
    # Numbers with a step the browser's arrow keys move them by.
    formfield_overrides = {models.FloatField: {"widget": FractionInput}}

    def get_queryset(self, request):
        # Each row is labelled with its article and page (ArticleArea.__str__).
        return super().get_queryset(request).select_related("article", "section")

    @admin.display(description=_("from"))
    def origin(self, area):
        if area is None or not area.found:
            return format_html('<span class="area-origin">{}</span>', _("an editor"))
        low = area.confidence is not None and area.confidence < LOW_CONFIDENCE
        return format_html(
            '<span class="area-origin area-origin--found{}" data-found="{}">{}</span>',
            " area-origin--low" if low else "",
            "low" if low else "sure",
            (
                _("the print PDF, check it (%(confidence)s)")
                if low
                else _("the print PDF (%(confidence)s)")
            )
            % {"confidence": f"{area.confidence:.2f}" if area.confidence is not None else "?"},
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        page = getattr(request, "_page_being_edited", None)
        if db_field.name == "article" and page is not None:
            # The page's own articles first, then the rest of the issue in reading order.
            kwargs["queryset"] = (
                Article.objects.filter(issue_id=page.issue_id)
                .annotate(
                    elsewhere=Case(
                        When(section_id=page.pk, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    )
                )
                .order_by("elsewhere", "reading_index", "id")
                .only("id", "title")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            # Read once for the whole inline: each row's select would read them again.
            field.choices = list(field.choices)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Section)
class SectionAdmin(
    DeskWordingAdmin, PresenceAdmin, VersionedAdmin, AutocompleteAdmin, HistoryAdmin
):
    add_title = _("New page")
    changed_message = ngettext_lazy("%(count)d page changed.", "%(count)d pages changed.", "count")
    list_display = ["scan_thumbnail", "code", "name", "issue", "position", "editing_now"]
    list_display_links = ["scan_thumbnail", "code"]
    list_filter = ["issue"]
    list_select_related = ["issue"]
    search_fields = ["code", "name"]
    ordering = ["-issue__year", "-issue__number", "position"]
    autocomplete_fields = ["issue"]
    fields = ["issue", "position", "code", "name", "area_editor", "scan", "pdf"]
    inlines = [ArticleOnPageInline, ArticleAreaInline]

    class Media:
        css = {"all": ["admin/sections/area_editor.css", "vendor/annotorious/annotorious.css"]}
        js = ["vendor/annotorious/annotorious.js", "admin/sections/area_editor.js"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        areas = next((formset for formset in formsets if formset.model is ArticleArea), None)
        if areas is not None and areas.has_changed():
            # Drawn or typed, areas place their articles and order the page.
            changed = placement.follow_areas([form.instance.pk], request.user)
            if changed:
                self.later_message(
                    request,
                    ngettext(
                        "%(count)d article placed or reordered as its area is printed.",
                        "%(count)d articles placed or reordered as their areas are printed.",
                        changed,
                    )
                    % {"count": changed},
                )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        page = self.get_object(request, object_id)
        if page is not None:
            # Page to page without going back to the issue: 上一版 / 下一版.
            pages = Section.objects.filter(issue_id=page.issue_id).order_by("position", "id")
            before = pages.filter(position__lt=page.position).last()
            after = pages.filter(position__gt=page.position).first()
            extra_context = {"previous_page": before, "next_page": after, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def response_post_save_change(self, request, obj):
        # 保存 on a page goes back to its issue, where the next page is one click away.
        return HttpResponseRedirect(reverse("admin:magazine_issue_change", args=[obj.issue_id]))

    def get_form(self, request, obj=None, **kwargs):
        request._page_being_edited = obj  # the area inline's article choices
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("page scan"))
    def scan_thumbnail(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("scan and its areas"))
    def area_editor(self, obj):
        web = obj.rendition_web if obj is not None and obj.pk else None
        if web is None:
            return preview(obj, alt=str(obj)) if obj is not None and obj.pk else "—"
        return format_html(
            '<div class="area-editor" data-full="{}">'
            '<div class="area-editor__tools"><button type="button" class="button" '
            'data-action="draw" aria-pressed="false" data-drawn="{}">{}</button> '
            '<button type="button" class="button" data-action="delete" disabled>{}</button> '
            '<label class="area-editor__picker" hidden>{} '
            '<select class="area-editor__article"></select></label> '
            '<span class="area-editor__zoom" role="group" aria-label="{}">'
            '<button type="button" class="button" data-zoom="out" aria-label="{}">−</button>'
            '<button type="button" class="button" data-zoom="fit">{}</button>'
            '<button type="button" class="button" data-zoom="in" aria-label="{}">+</button>'
            "</span>"
            '<span class="area-editor__status" role="status"></span></div>'
            '<div class="area-editor__frame"><div class="area-editor__canvas">'
            '<img class="area-editor__scan" src="{}" width="{}" height="{}" alt="{}">'
            '<div class="area-editor__labels" aria-hidden="true"></div></div></div>'
            "{}"
            '<p class="help">{}</p></div>',
            _("No more areas can be added here."),
            _("Area drawn: pick its article."),
            _("Draw an area"),
            _("Delete the chosen area"),
            _("Article of the chosen area"),
            _("Zoom"),
            _("Smaller"),
            _("Fit the window"),
            _("Larger"),
            web.url,
            web.width,
            web.height,
            _("Scan of %(page)s") % {"page": obj},
            self.legend(obj),
            _(
                "Press “Draw an area” and drag a rectangle over an article, then pick its "
                "article beside the buttons. Each area shows its number and its article. "
                "Choose an area to move or resize it. The rows below hold the same areas as "
                "numbers, for the keyboard."
            ),
        )

    def legend(self, page):
        """What the colours say, on a page with areas found in the print PDF."""
        if not page.areas.filter(found=True).exists():
            return ""
        return format_html(
            '<p class="area-editor__legend"><span class="is-sure">{}</span>'
            '<span class="is-low">{}</span><span class="is-editor">{}</span></p>',
            _("found in the print PDF: check it"),
            _("found, unsure: look closely"),
            _("drawn or changed by an editor"),
        )

    def get_readonly_fields(self, request, obj=None):
        # A page stays in the issue it was made in: its articles belong to that
        # issue (the database refuses an article on another issue's page).
        return ["issue", "area_editor"] if obj is not None else ["area_editor"]

    def get_search_results(self, request, queryset, search_term):
        """The article form's page picker asks with ?issue=<id>: only that issue's pages."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.path.endswith("/autocomplete/") and request.GET.get("field_name") == "section":
            issue = request.GET.get("issue", "")
            queryset = queryset.filter(issue_id=issue) if issue.isdigit() else queryset.none()
            queryset = queryset.order_by("position", "id")
        return queryset, may_have_duplicates
