"""The body of an ``import_text --jobs`` worker process.

Kept apart from ``articles.importing``: a spawned process imports this
module before Django is set up, so nothing here may import models at the top.
The two import each other on purpose (the parent starts this; this runs the
parent's ``Importer``), each only inside a function.
"""


def run(share, options, results, database):
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["NAME"] = database

    from django.db import connections

    from articles import reading_order
    from articles.importing import Importer

    try:
        importer = Importer(**options)
        # The parent renumbers the reading order once all workers are done.
        with reading_order.deferred(renumber_at_end=False):
            for path in share:
                result = importer.import_file(path)  # never raises
                results.put(
                    (str(result.path), result.status, result.message, result.code, result.params)
                )
    finally:
        connections.close_all()
