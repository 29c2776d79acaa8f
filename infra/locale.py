"""Which language a request is in, and the address prefix of Traditional Chinese.

Simplified Chinese keeps its addresses (``/articles/1/``); Traditional
Chinese has the same ones under ``/zh-hant/``. A browser may still ask for
English (the interface only) with Accept-Language, at the same addresses as
Simplified. Django's ``i18n_patterns`` would give every language but the
default a prefix and send an English browser to ``/en/``; here only
``PREFIXED`` languages have one, and a language with a prefix is never chosen
for an address without it: what an address shows does not depend on the
browser's script.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, URLResolver
from django.utils import translation

PREFIXED = ("zh-hant",)


def language_from_path(path_info):
    language = translation.get_language_from_path(path_info)
    return language if language in PREFIXED else None


def request_language(request):
    """The language of ``request``: its address's prefix, else the browser's choice
    among the languages without one."""
    language = language_from_path(request.path_info)
    if language is None:
        language = translation.get_language_from_request(request)
        if language in PREFIXED:
            language = settings.LANGUAGE_CODE
    return language


class PrefixedLanguagePattern(LocalePrefixPattern):
    """``zh-hant/`` while Traditional Chinese is active, nothing otherwise."""

    @property
    def language_prefix(self):
        language = translation.get_language()
        return f"{language}/" if language in PREFIXED else ""


def language_patterns(*urls):
    """``i18n_patterns(*urls, prefix_default_language=False)`` with only
    ``PREFIXED`` languages prefixed."""
    return [URLResolver(PrefixedLanguagePattern(prefix_default_language=False), list(urls))]


class RequestLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, the language chosen by ``request_language``; the
    thread's language is given back afterwards (a Traditional request must
    not leave ``/zh-hant/`` addresses to whatever the thread does next)."""

    def __call__(self, request):
        previous = translation.get_language()
        try:
            return super().__call__(request)
        finally:
            translation.activate(previous) if previous else translation.deactivate()

    def process_request(self, request):
        language = request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
