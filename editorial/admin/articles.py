"""The article admin: find, place, reorder and edit articles as they are printed."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from articles import placement
from articles.models import Article, ArticleImage, Author
from articles.word_count import word_count
from editorial.admin.common import (
    AutocompleteAdmin,
    DeskWordingAdmin,
    HistoryAdmin,
    IssueStateFilter,
    filter_by_state,
    preview,
)
from editorial.admin.concurrency import VersionedAdmin
from editorial.admin.presence import PresenceAdmin
from magazine.models import IssueState
from sections.models import Section


class ArticleIssueStateFilter(IssueStateFilter):
    title = _("issue state")
    parameter_name = "issue_state"

    def lookups(self, request, model_admin):
        return IssueState.choices

    def queryset(self, request, queryset):
        return filter_by_state(queryset, self.value(), prefix="issue__")


class PlacedFilter(admin.SimpleListFilter):
    title = _("placement")
    parameter_name = "placed"

    def lookups(self, request, model_admin):
        return [("yes", _("Placed on a page")), ("no", _("Not placed yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(section__isnull=False)
        if self.value() == "no":
            return queryset.filter(section__isnull=True)
        return queryset


class PageFilter(admin.SimpleListFilter):
    """The pages of the issue chosen in the issue filter (none before that), as one
    select: an issue has up to 70 pages, which as links would crush the titles."""

    title = _("page")
    parameter_name = "section"
    template = "admin/articles/article/page_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # The select's form keeps the other filters, search and ordering as they are.
        self.kept_params = [
            (key, value)
            for key, values in request.GET.lists()
            for value in values
            if key not in (self.parameter_name, "p")
        ]

    def choices(self, changelist):
        yield {"selected": self.value() is None, "value": "", "display": _("All")}
        for value, label in self.lookup_choices:
            yield {"selected": self.value() == str(value), "value": value, "display": label}

    def lookups(self, request, model_admin):
        issue = request.GET.get("issue__id__exact", "")
        if not issue.isdigit():
            return []
        return [(s.pk, str(s)) for s in Section.objects.filter(issue_id=issue)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(section_id=value)
        return queryset


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["issue", "section", "position", "kicker", "title", "subtitle", "byline", "body"]
        widgets = {
            "kicker": forms.Textarea(attrs={"rows": 2, "class": "print-kicker"}),
            "title": forms.TextInput(attrs={"class": "print-title"}),
            "subtitle": forms.Textarea(attrs={"rows": 2, "class": "print-subtitle"}),
            "byline": forms.TextInput(attrs={"class": "print-byline"}),
            "body": forms.Textarea(attrs={"rows": 24, "class": "print-body"}),
        }


class ArticleImageInline(admin.StackedInline):
    model = ArticleImage
    fields = ["image", "image_preview", "alt", "caption", "position"]
    readonly_fields = ["image_preview"]
    extra = 0

    @admin.display(description=_("preview"))
    def image_preview(self, obj):
        return preview(obj, alt=obj.alt)


class PlaceForm(forms.Form):
    section = forms.ModelChoiceField(queryset=Section.objects.none(), label=_("Page"))

    def __init__(self, issue, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(issue=issue)


@admin.register(Article)
class ArticleAdmin(
    DeskWordingAdmin, PresenceAdmin, VersionedAdmin, AutocompleteAdmin, HistoryAdmin
):
    form = ArticleForm
    add_title = _("New article")
    changed_message = ngettext_lazy(
        "%(count)d article changed.", "%(count)d articles changed.", "count"
    )
    list_display = [
        "title",
        "issue",
        "page_label",
        "position",
        "byline_shown",
        "words",
        "changed_at",
        "editing_now",
    ]
    list_editable = ["position"]
    # Placement first: "what is not on a page yet" is the question of the week.
    list_filter = [PlacedFilter, ArticleIssueStateFilter, "issue", PageFilter]
    list_select_related = ["issue", "section"]
    search_fields = ["title", "kicker", "byline", "body"]
    autocomplete_fields = ["issue", "section"]
    ordering = ["-issue__year", "-issue__number", "section__position", "position", "id"]
    readonly_fields = ["body_word_count"]
    actions = ["place_on_page"]
    inlines = [ArticleImageInline]
    fieldsets = [
        (_("Placement"), {"fields": ["issue", "section", "position"]}),
        (
            _("The article as printed"),
            {
                "fields": ["kicker", "title", "subtitle", "byline", "body", "body_word_count"],
                "classes": ["printed-article"],
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/articles/article_form.css", "admin/articles/article_list.css"]}
        js = ["admin/articles/section_scope.js", "admin/articles/word_count.js"]

    def get_changelist_form(self, request, **kwargs):
        # The list's position boxes have no label of their own (Django's list_editable),
        # and are as narrow as the numbers they hold.
        kwargs.setdefault(
            "widgets",
            {
                "position": forms.NumberInput(
                    attrs={"aria-label": _("position on the page"), "class": "position-box"}
                )
            },
        )
        return super().get_changelist_form(request, **kwargs)

    def get_list_display(self, request):
        shown = super().get_list_display(request)
        if request.GET.get("issue__id__exact"):  # one issue chosen: its column says nothing
            return [name for name in shown if name != "issue"]
        return shown

    @admin.display(description=_("byline"), ordering="byline")
    def byline_shown(self, obj):
        # Names never break inside (a name is a unit); the byline breaks between them.
        parts = obj.byline.split()
        return format_html_join(" ", '<span class="byline-part">{}</span>', ((p,) for p in parts))

    @admin.display(description=_("updated at"), ordering="updated_at")
    def changed_at(self, obj):
        return date_format(timezone.localtime(obj.updated_at), "m-d H:i")

    @admin.display(description=_("word count"))
    def words(self, obj):
        return word_count(obj.body)

    @admin.display(description=_("word count of the body"))
    def body_word_count(self, obj):
        # Counted again live by word_count.js as the body is typed.
        return format_html(
            '<output id="body-word-count" for="id_body" aria-live="polite">{}</output>',
            word_count(obj.body if obj is not None else ""),
        )

    @admin.display(description=_("page"), ordering="section__position")
    def page_label(self, obj):
        return str(obj.section) if obj.section else _("not placed")

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj.from_ocr = False  # an editor's save: its text read against the scan
        obj.save_and_index()

    @admin.action(description=_("Place on a page…"), permissions=["change"])
    def place_on_page(self, request, queryset):
        issues = set(queryset.values_list("issue_id", flat=True))
        if len(issues) != 1:
            self.message_user(
                request, _("Choose articles of one issue to place them."), messages.ERROR
            )
            return None
        issue = queryset.first().issue
        form = PlaceForm(issue, request.POST if "apply" in request.POST else None)
        if form.is_valid():
            section = form.cleaned_data["section"]
            count = placement.place_on(queryset, section, user=request.user)
            self.message_user(
                request,
                ngettext(
                    "%(count)d article placed on %(page)s.",
                    "%(count)d articles placed on %(page)s.",
                    count,
                )
                % {"count": count, "page": section},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/article/place_on_page.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Place articles on a page"),
                "opts": self.model._meta,
                "issue": issue,
                "articles": queryset.in_reading_order(),
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Author)
class AuthorAdmin(HistoryAdmin):
    list_display = ["name", "article_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, obj):
        return obj.article_total
