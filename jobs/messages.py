"""What jobs and the staff commands say, in the reader's language.

A job's line (and its title and summary) is kept as its English text (logs,
rows written before) and as a code with its parameters. The code's template,
registered by the app that writes it, is translated when the line is shown:
on a job's page in the editor's language, in a command's output in
``LANGUAGE_CODE`` (or ``--language``). This app knows nothing of what the
codes mean.
"""

_templates = {}


def register(templates):
    """Codes and their templates: a lazily translated string (``%(name)s``
    placeholders filled from the parameters) or a function of the parameters."""
    _templates.update(templates)


def say(code, params=None, fallback=""):
    """The line of ``code`` with ``params`` in the active language; ``fallback`` for
    a code nobody registered (or parameters that do not fit its template)."""
    template = _templates.get(code)
    if template is None:
        return fallback
    params = params or {}
    try:
        return template(params) if callable(template) else str(template) % params
    except (KeyError, TypeError, ValueError):
        return fallback


def said(message, fallback=""):
    """``say()`` of a stored ``{"code": ..., "params": ...}``."""
    if not message or "code" not in message:
        return fallback
    return say(message["code"], message.get("params"), fallback)
