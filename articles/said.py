"""What the import says, in the reader's language: each file's line (what a dry
run would do, what an import did), the reasons a file is refused or skipped,
the job's title and summary. Registered with ``jobs.messages`` (job pages) and
used by ``import_text`` (its output); the page list's refusals serve the
issue's form too.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.importing import IMPORTED, REFUSED, SKIPPED, UPDATED
from infra.characters import printable
from jobs import messages
from magazine.models import Issue, parse_issue_key

VERBS = {
    (IMPORTED, False): gettext_lazy("imported"),
    (IMPORTED, True): gettext_lazy("would import"),
    (UPDATED, False): gettext_lazy("updated"),
    (UPDATED, True): gettext_lazy("would update"),
    (SKIPPED, False): gettext_lazy("skipped"),
    (SKIPPED, True): gettext_lazy("would skip"),
    (REFUSED, False): gettext_lazy("refused"),
    (REFUSED, True): gettext_lazy("would refuse"),
}

# Why a file is refused or skipped, by the code its refusal carries.
REASONS = {
    "not_bytes": gettext_lazy("not a file's bytes"),
    "too_large": gettext_lazy("the file is larger than 5 MiB (%(size)s bytes)"),
    "empty": gettext_lazy("the file is empty or only white space"),
    "blank_title": gettext_lazy("the announced title is blank (or only invisible characters)"),
    "no_title": gettext_lazy(
        "no title: no line before the text matches the announced title “%(announced)s”"
    ),
    "long_title": gettext_lazy("the title is longer than %(limit)s characters"),
    "no_body": gettext_lazy("no body: no indented paragraph after the title"),
    "undecodable": gettext_lazy(
        "cannot be read as UTF-8, UTF-16 or GB18030 text (invalid %(encoding)s at byte %(byte)s)"
    ),
    "control_character_text": gettext_lazy("a control character (%(character)s) in the text"),
    "bom": gettext_lazy("a byte-order mark (U+FEFF) in the middle of the text"),
    "nonsense": gettext_lazy("decodes only as nonsense in UTF-8, UTF-16 and GB18030"),
    "cannot_read": gettext_lazy("cannot read: %(error)s"),
    "symlink_loop": gettext_lazy("cannot read: a loop of symlinks"),
    "no_such_file": gettext_lazy("no such file or folder"),
    "not_txt": gettext_lazy("not a .txt file"),
    "symlink_outside": gettext_lazy("a symlink pointing outside the folder given"),
    "not_regular": gettext_lazy("not a regular file"),
    "page_conflict": gettext_lazy(
        "page %(page)s is “%(new)s” here but “%(existing)s” in %(issue)s"
    ),
    "too_many_pages": gettext_lazy(
        "%(issue)s would have %(total)s pages; an issue has at most %(limit)s"
    ),
    "unknown_page": gettext_lazy("%(issue)s has no page %(page)s"),
    "store_failed": gettext_lazy("could not be stored: %(error)s"),
    "issue_changed": gettext_lazy("the issue changed meanwhile; run the import again"),
    "worker_stopped": gettext_lazy("its import worker stopped; run the import again"),
    "already_in_issue": gettext_lazy(
        "already in %(issue)s (--update, or 替换 in the admin, replaces it)"
    ),
    "unchanged": gettext_lazy("unchanged"),
    # The page list (line 2), which the issue's form takes too.
    "control_character": gettext_lazy("The page list holds a control character (%(character)s)."),
    "long_code": gettext_lazy(
        "Page code “%(page)s” is %(length)s characters long; a code has 1 to 8 letters or digits."
    ),
    "not_a_page_list": gettext_lazy(
        "This is not a page list: write each page as its code, 版, a colon and its name, "
        "e.g. “01版: 卷首语 02版: 本期策划”."
    ),
    "text_before": gettext_lazy("“%(text)s” stands before the first page of the list."),
    "no_name": gettext_lazy("Page %(page)s has no name."),
    "long_name": gettext_lazy("The name of page %(page)s is longer than %(limit)s characters."),
    "listed_twice": gettext_lazy(
        "Page %(page)s is listed twice, as “%(first)s” and as “%(second)s”."
    ),
}


def issue_name(key):
    """``2026-12`` as readers name it (2026年第12期), in the active language."""
    try:
        return Issue.name_of(*parse_issue_key(key))
    except ValueError:
        return key


def reason(code, params, fallback=""):
    template = REASONS.get(code)
    if template is None:
        return fallback
    params = dict(params or {})
    if "issue" in params:
        params["issue"] = issue_name(params["issue"])
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return fallback


def file_line(params):
    """One file's line: what a dry run would do with it, or what the import did."""
    status, dry_run = params["status"], bool(params.get("dry_run"))
    verb = VERBS.get((status, dry_run), status)
    known = {"verb": verb, "file": params["file"]}
    if params.get("code") == "placed":
        page = params["params"].get("page", "")
        known["title"] = printable(params["params"].get("title") or params.get("title", ""))
        if page:
            return _("%(verb)s: %(file)s: %(title)s (page %(page)s)") % {**known, "page": page}
        return _("%(verb)s: %(file)s: %(title)s (unplaced)") % known
    why = reason(params.get("code"), params.get("params"), params.get("message", ""))
    if not why:
        return _("%(verb)s: %(file)s") % known
    if params.get("line"):
        return _("%(verb)s: %(file)s: line %(line)s: %(reason)s") % {
            **known,
            "line": params["line"],
            "reason": why,
        }
    return _("%(verb)s: %(file)s: %(reason)s") % {**known, "reason": why}


def import_summary(params):
    counts = {
        "issue": issue_name(params["issue"]),
        "imported": params[IMPORTED],
        "updated": params[UPDATED],
        "skipped": params[SKIPPED],
        "refused": params[REFUSED],
        "files": ngettext("%(count)s file", "%(count)s files", params["files"])
        % {"count": params["files"]},
    }
    if params.get("dry_run"):
        return (
            _(
                "Dry run, nothing written: %(issue)s: would import %(imported)s, update "
                "%(updated)s, skip %(skipped)s, refuse %(refused)s (%(files)s)"
            )
            % counts
        )
    return (
        _(
            "%(issue)s: %(imported)s imported, %(updated)s updated, %(skipped)s skipped, "
            "%(refused)s refused (%(files)s)"
        )
        % counts
    )


def import_title(params):
    named = {"issue": issue_name(params["issue"]), "count": params["count"]}
    if params.get("dry_run"):
        return (
            ngettext(
                "Check the import of %(count)s file into %(issue)s",
                "Check the import of %(count)s files into %(issue)s",
                params["count"],
            )
            % named
        )
    return (
        ngettext(
            "Import %(count)s file into %(issue)s",
            "Import %(count)s files into %(issue)s",
            params["count"],
        )
        % named
    )


def _titles(titles):
    return "".join(f"《{printable(title)}》" for title in titles)


def areas_page(params):
    """One page's line: the areas found, those found with low confidence, the text it
    prints that is no article's, the articles an editor put on another page."""
    parts = []
    if params["titles"]:
        parts.append(
            ngettext(
                "Page %(code)s: the area of %(count)s article found %(titles)s",
                "Page %(code)s: the areas of %(count)s articles found %(titles)s",
                len(params["titles"]),
            )
            % {
                "code": params["code"],
                "count": len(params["titles"]),
                "titles": _titles(params["titles"]),
            }
        )
    else:
        parts.append(_("Page %(code)s: no article's area found") % {"code": params["code"]})
    if params.get("ocr"):
        parts.append(_("read from the scan (OCR)"))
    if params.get("low"):
        low = "、".join(f"《{printable(t)}》{c}" for t, c in params["low"])
        parts.append(_("check these, found with low confidence: %(low)s") % {"low": low})
    if params.get("unmatched"):
        words = "、".join(f"“{printable(w)}”" for w in params["unmatched"])
        parts.append(_("printed text of no article: %(words)s") % {"words": words})
    if params.get("elsewhere"):
        parts.append(
            _("printed here, placed by an editor on another page: %(titles)s")
            % {"titles": _titles(params["elsewhere"])}
        )
    # The clauses' separator is the language's own (；in Chinese).
    return _("; ").join(parts)


def areas_nowhere(params):
    return ngettext(
        "%(count)s article the PDF does not print: %(titles)s",
        "%(count)s articles the PDF does not print: %(titles)s",
        params["count"],
    ) % {"count": params["count"], "titles": _titles(params["titles"])}


AREA_LINES = {
    "areas.page": areas_page,
    "areas.nowhere": areas_nowhere,
    "areas.unreadable": lambda p: (
        ngettext(
            "Page %(codes)s: its text layer cannot be read (its font has no Unicode map): no "
            "area was looked for",
            "Pages %(codes)s: their text layer cannot be read (a font without its Unicode map): "
            "no area was looked for",
            len(p["codes"]),
        )
        % {"codes": "、".join(p["codes"])}
    ),
    "areas.no_ocr": lambda p: (
        ngettext(
            "Page %(codes)s is a scan without text and was not read: Tesseract (OCR) is not "
            "installed here",
            "Pages %(codes)s are scans without text and were not read: Tesseract (OCR) is not "
            "installed here",
            len(p["codes"]),
        )
        % {"codes": "、".join(p["codes"])}
    ),
    "areas.no_text": lambda p: (
        ngettext(
            "Page %(codes)s prints no text: no area",
            "Pages %(codes)s print no text: no area",
            len(p["codes"]),
        )
        % {"codes": "、".join(p["codes"])}
    ),
}


def draft_line(params):
    """One drafted article: what becomes (or would become) of it, its title, byline,
    first words and pages."""
    said = {
        "imported": _("new"),
        "updated": _("replaces the one of this title"),
        "skipped": _("the issue has this title already: left as it is"),
        "refused": _("refused"),
    }[params["status"]]
    pages = "、".join(params["pages"])
    line = _("%(title)s (page %(pages)s): %(said)s") % {
        "title": f"《{printable(params['title'])}》",
        "pages": pages,
        "said": said,
    }
    if params.get("byline"):
        line += " · " + printable(params["byline"])
    if params.get("words"):
        line += " · “" + printable(params["words"]) + "”"
    if params.get("ocr"):
        line += " · " + _("read by OCR: check it against the scan")
    if params.get("message"):
        line += " · " + printable(params["message"])
    return line


def draft_busy(params):
    return ngettext(
        "Page %(codes)s has articles already: no article drafted from it",
        "Pages %(codes)s have articles already: no article drafted from them",
        len(params["codes"]),
    ) % {"codes": "、".join(params["codes"])}


def draft_summary(params):
    return ngettext(
        "%(issue)s: %(drafted)s article in the PDF's %(pages)s pages (%(new)s new, "
        "%(updated)s replacing, %(skipped)s already in the issue); nothing is written "
        "until you confirm",
        "%(issue)s: %(drafted)s articles in the PDF's %(pages)s pages (%(new)s new, "
        "%(updated)s replacing, %(skipped)s already in the issue); nothing is written "
        "until you confirm",
        params["drafted"],
    ) % {**params, "issue": issue_name(params["issue"])}


def areas_line(code, params):
    return AREA_LINES[code](params)


def search_summary(params):
    return ngettext("%(count)s article indexed", "%(count)s articles indexed", params["count"]) % {
        "count": params["count"]
    }


def proofread_title(params):
    return _("Proofing checks of %(issue)s") % {"issue": issue_name(params["issue"])}


def proofread_summary(params):
    return ngettext(
        "%(issue)s: %(open)s finding to decide; %(errors)s errors accepted in "
        "%(characters)s characters, %(rate)s per 10,000",
        "%(issue)s: %(open)s findings to decide; %(errors)s errors accepted in "
        "%(characters)s characters, %(rate)s per 10,000",
        params["open"],
    ) % {**params, "issue": issue_name(params["issue"])}


messages.register(
    {
        "proofread.title": proofread_title,
        "proofread.summary": proofread_summary,
        "import.file": file_line,
        "import.summary": import_summary,
        "import.title": import_title,
        "search.summary": search_summary,
        **AREA_LINES,
        "draft.article": draft_line,
        "draft.busy": draft_busy,
        "draft.summary": draft_summary,
    }
)
