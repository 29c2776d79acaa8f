"""The admin of the editorial office, a module a model (each registers its own)."""

from editorial.admin import articles, corrections, issues, jobs, pages, review  # noqa: F401
