"""What the print PDF's and the page scans' jobs say, in the reader's language
(registered with ``jobs.messages``): one line a page or file, titles, summaries."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs import messages
from magazine.models import Issue, parse_issue_key


def issue_name(key):
    try:
        return Issue.name_of(*parse_issue_key(key))
    except ValueError:
        return key


def pdf_title(params):
    issue = {"issue": issue_name(params["issue"])}
    if params.get("dry_run"):
        return _("Articles the print PDF of %(issue)s prints (dry run)") % issue
    if params.get("articles"):
        return _("Cut the print PDF of %(issue)s into pages and draft its articles") % issue
    return _("Cut the print PDF of %(issue)s into pages") % issue


def pdf_page(params):
    return _(
        "Page %(code)s: scan and PDF made (PDF page %(pdf_page)s, %(width)s×%(height)s px)"
    ) % (params)


def pdf_page_refused(params):
    return _("Page %(code)s: cannot be drawn (%(error)s)") % params


def pdf_summary(params):
    pages = ngettext("%(count)s page", "%(count)s pages", params["pdf"]) % {"count": params["pdf"]}
    summary = _("%(issue)s: %(drawn)s of %(total)s pages cut and drawn from a PDF of %(pages)s") % {
        **params,
        "issue": issue_name(params["issue"]),
        "pages": pages,
    }
    return summary + areas_clause(params)


def areas_clause(params):
    """What drafting articles and finding their areas did, after a job's summary
    (empty if they did not run)."""
    clause = ""
    if "drafted" in params:
        clause += ngettext(
            "; %(count)s article drafted from its text",
            "; %(count)s articles drafted from their text",
            params["drafted"],
        ) % {"count": params["drafted"]}
    if "areas" in params:
        clause += _("; %(areas)s article areas found, %(placed)s articles placed by them") % params
    return clause


def no_articles(params):
    return _(
        "%(issue)s has no article yet: no area was looked for (import its text files and "
        "upload the print PDF again, or draft the articles from the PDF)"
    ) % {"issue": issue_name(params["issue"])}


def pages_made(params):
    if params.get("dry_run"):
        return ngettext(
            "%(issue)s has no pages: the PDF would make %(count)s (%(first)s), named by number",
            "%(issue)s has no pages: the PDF would make %(count)s (%(first)s–%(last)s), named "
            "by number",
            params["count"],
        ) % {**params, "issue": issue_name(params["issue"])}
    return ngettext(
        "%(issue)s had no pages: %(count)s page made from the PDF (%(first)s), named by "
        "number; rename it on the issue's page",
        "%(issue)s had no pages: %(count)s pages made from the PDF (%(first)s–%(last)s), "
        "named by number; rename them on the issue's page",
        params["count"],
    ) % {**params, "issue": issue_name(params["issue"])}


def scans_title(params):
    return _("Page scans for %(issue)s") % {"issue": issue_name(params["issue"])}


def scans_file(params):
    status = params["status"]
    if status == "imported":
        return _("given: %(file)s: page %(code)s, %(width)s×%(height)s px") % params
    if status == "skipped":
        return _("skipped: %(file)s: %(reason)s") % params
    if params.get("code"):
        return _("refused: %(file)s: the issue has no page %(code)s") % params
    return _("refused: %(file)s: %(reason)s") % params


def scans_summary(params):
    summary = _("%(issue)s: %(given)s of %(total)s scans given to their pages") % {
        **params,
        "issue": issue_name(params["issue"]),
    }
    return summary + areas_clause(params)


messages.register(
    {
        "pdf.title": pdf_title,
        "pdf.page": pdf_page,
        "pdf.page_refused": pdf_page_refused,
        "pdf.summary": pdf_summary,
        "pdf.no_articles": no_articles,
        "pdf.pages_made": pages_made,
        "scans.title": scans_title,
        "scans.file": scans_file,
        "scans.summary": scans_summary,
    }
)
