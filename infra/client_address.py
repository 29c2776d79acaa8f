"""The client's address behind a proxy, for the login lockout (django-axes).

Behind a proxy ``REMOTE_ADDR`` is the proxy's address for every client, so a
lockout per (user, address) would become a lockout per user: anyone could
keep the chief editor out with five wrong passwords. The client's address is
read from ``X-Forwarded-For`` only when the request came from a proxy named
in ``TRUSTED_PROXIES`` (``DJANGO_TRUSTED_PROXIES``: addresses or networks),
walking the header from the right past the trusted proxies: a client can
write anything into the header, but not to the right of what the proxy
appends. From any other peer the header is ignored.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


def networks(entries, name="DJANGO_TRUSTED_PROXIES"):
    """``["10.0.0.5", "10.1.0.0/16"]`` as networks; ``ImproperlyConfigured`` naming a
    wrong entry."""
    found = []
    for entry in entries:
        try:
            found.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {entry!r} is not an IP address or network (e.g. 10.0.0.5, 10.0.0.0/24)"
            ) from None
    return tuple(found)


def parse(text):
    """An address as a header or the server gives it (with a port, in brackets), or None."""
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:8080
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address, trusted):
    return address is not None and any(address in network for network in trusted)


def client_address(request, trusted=None):
    """The address a request came from, as django-axes locks it out."""
    trusted = settings.TRUSTED_PROXIES if trusted is None else trusted
    peer = request.META.get("REMOTE_ADDR", "")
    if not _trusted(parse(peer), trusted):
        return peer
    hops = [hop for hop in request.META.get(FORWARDED_HEADER, "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = parse(hop)
        if address is None:
            return peer  # the proxy wrote something that is no address: trust nothing further
        if not _trusted(address, trusted):
            return str(address)
    return str(parse(hops[0])) if hops else peer  # proxies only: the farthest one
