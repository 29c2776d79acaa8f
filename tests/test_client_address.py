"""The login lockout behind a proxy: per (user, client address), the client's address
read from X-Forwarded-For only when the request came from a trusted proxy."""

import ipaddress

import pytest
from django.test import Client, RequestFactory

from infra.client_address import client_address, networks, parse
from tests.test_security import LOGIN

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.9"


@pytest.fixture
def editor_account(django_user_model):
    return django_user_model.objects.create_user(
        "bianji", password="right-password-1", is_staff=True
    )


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = networks([PROXY, "fd00::/8"])


def attempt(client, password, forwarded=None, peer=PROXY):
    headers = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": "bianji", "password": password}, **headers)


@pytest.mark.usefixtures("behind_proxy")
def test_five_failures_through_the_proxy_lock_that_client_only(editor_account):
    attacker = Client()
    for _ in range(5):
        attempt(attacker, "wrong", forwarded="203.0.113.66")
    assert attempt(attacker, "right-password-1", forwarded="203.0.113.66").status_code == 429
    # The chief editor at another address, through the same proxy, still gets in.
    assert attempt(Client(), "right-password-1", forwarded="198.51.100.7").status_code == 302


@pytest.mark.usefixtures("behind_proxy")
def test_a_forged_header_cannot_move_the_lock_to_someone_else(editor_account):
    attacker = Client()
    for number in range(5):
        # The client writes an address of its own choosing; the proxy appends the real one.
        attempt(attacker, "wrong", forwarded=f"198.51.100.{number}, 203.0.113.66")
    assert attempt(Client(), "right-password-1", forwarded="198.51.100.7").status_code == 302
    assert attempt(Client(), "wrong", forwarded="203.0.113.66").status_code == 429


@pytest.mark.usefixtures("behind_proxy")
def test_the_header_from_a_peer_that_is_no_proxy_is_ignored(editor_account):
    attacker = Client()
    for number in range(5):
        attempt(attacker, "wrong", forwarded=f"198.51.100.{number}", peer="203.0.113.66")
    assert attempt(attacker, "right-password-1", peer="203.0.113.66").status_code == 429
    # The addresses it wrote in the header were not locked.
    assert attempt(Client(), "right-password-1", forwarded="198.51.100.0").status_code == 302


def test_without_trusted_proxies_the_peer_is_the_client(settings, editor_account):
    settings.TRUSTED_PROXIES = ()
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert client_address(request) == PROXY


@pytest.mark.parametrize(
    ("forwarded", "peer", "expected"),
    [
        ("203.0.113.66", PROXY, "203.0.113.66"),
        ("203.0.113.66, 10.0.0.8", PROXY, "203.0.113.66"),  # a second proxy in front, trusted
        ("203.0.113.66:51234", PROXY, "203.0.113.66"),
        ("[2001:db8::1]:8080", PROXY, "2001:db8::1"),
        ("2001:db8::1, fd00::5", "fd00::1", "2001:db8::1"),
        ("not an address", PROXY, PROXY),
        ("", PROXY, PROXY),
        ("10.0.0.8", PROXY, "10.0.0.8"),  # only proxies: the farthest
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(forwarded, peer, expected):
    trusted = networks([PROXY, "10.0.0.8/32", "fd00::/8"])
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request, trusted) == expected


def test_a_wrong_trusted_proxy_setting_is_named():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match=r"'10\.0\.0\.300'"):
        networks(["10.0.0.300"])
    assert parse("[::1]") == ipaddress.ip_address("::1")
