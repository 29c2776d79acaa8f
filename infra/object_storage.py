"""Media on S3-compatible object storage: django-storages' backend, with each file's
Content-Disposition when it has one (a PDF readers save under its issue's and
page's name: infra.downloads), kept as the object's metadata so that the store
sends it."""

from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    def _get_write_parameters(self, name, content=None):
        params = super()._get_write_parameters(name, content)
        disposition = getattr(content, "content_disposition", None)
        if disposition:
            params["ContentDisposition"] = disposition
        return params
