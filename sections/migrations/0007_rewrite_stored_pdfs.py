"""Every PDF stored before readers' PDFs were written from printed content only is
written anew now: each page's PDF, then each issue's PDF joined again from its
pages' (or, for an issue without page PDFs, its own rewritten). A stored PDF
that cannot be read is taken away from readers (the field cleared)."""

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import migrations

from infra import clean_pdf
from infra.images import DatedUploadPath


def rewrite(storage, name, folder):
    try:
        with storage.open(name, "rb") as handle:
            data = clean_pdf.rewrite(handle)
    except (clean_pdf.PdfRefused, OSError):
        return ""
    return storage.save(DatedUploadPath(folder)(None, "page.pdf"), ContentFile(data))


def rewrite_stored_pdfs(apps, schema_editor):
    from sections import pdfs

    Section = apps.get_model("sections", "Section")
    Issue = apps.get_model("magazine", "Issue")
    for section in Section.objects.exclude(pdf="").iterator():
        storage, old = section.pdf.storage, section.pdf.name
        Section.objects.filter(pk=section.pk).update(pdf=rewrite(storage, old, "pdf"))
        storage.delete(old)
    for issue in Issue.objects.exclude(pdf="").iterator():
        storage, old = issue.pdf.storage, issue.pdf.name
        pages = Section.objects.filter(issue_id=issue.pk).exclude(pdf="").order_by("position", "id")
        if pages.exists():
            with tempfile.TemporaryDirectory(prefix="issue-pdf-join-") as folder:
                paths = []
                for number, page in enumerate(pages, start=1):
                    path = Path(folder) / f"{number:04}.pdf"
                    with page.pdf.storage.open(page.pdf.name, "rb") as source:
                        path.write_bytes(source.read())
                    paths.append(path)
                joined = Path(folder) / "issue.pdf"
                with open(joined, "wb") as output:
                    pdfs.join(paths, output)
                with open(joined, "rb") as handle:
                    new = storage.save(DatedUploadPath("pdf/issues")(None, "issue.pdf"), handle)
        else:
            new = rewrite(storage, old, "pdf/issues")
        Issue.objects.filter(pk=issue.pk).update(pdf=new)
        storage.delete(old)


class Migration(migrations.Migration):
    dependencies = [
        ("sections", "0006_safe_pdf"),
        ("magazine", "0010_safe_pdf"),
    ]

    operations = [migrations.RunPython(rewrite_stored_pdfs, migrations.RunPython.noop)]
