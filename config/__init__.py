"""The project: settings, the root URLs, the WSGI and ASGI entry points."""
