"""Which addresses are this machine's, and which ones a key-set fetch may connect to.

Only classification and name lookups on this machine: no packet goes anywhere.
"""

from __future__ import annotations

import ipaddress
import socket
import time

import pytest

from debugger.net import addresses


@pytest.fixture
def listening_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def own(host: str, port: int, own_port: int) -> bool:
    return addresses.is_own_address(addresses.resolve(host, port, 5.0), port, own_port)


@pytest.mark.parametrize("host", ("127.0.0.1", "localhost", "127.0.0.2", "0.0.0.0", "[::1]"))
def test_is_own_address_recognises_this_machine_on_the_debuggers_port(listening_port, host):
    assert own(host, listening_port, listening_port)


@pytest.mark.parametrize("host", ("127.0.0.1", "localhost"))
def test_is_own_address_is_false_on_another_port(listening_port, host):
    assert not own(host, listening_port + 1, listening_port)


def test_is_own_address_is_false_for_another_machine(listening_port):
    # 192.0.2.0/24 is reserved for documentation: never an address of this machine.
    assert not own("192.0.2.1", listening_port, listening_port)


def test_is_own_address_recognises_an_address_of_this_machine_that_is_not_loopback():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        # Connecting a UDP socket sends nothing: it only picks the outgoing interface.
        try:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
        except OSError:
            address = "127.0.0.1"  # no route at all: loopback is the only address
    assert own(address, 8765, 8765)


# (address, metadata, link-local, private)
CLASSIFIED = (
    ("169.254.169.254", True, True, False),
    ("::ffff:169.254.169.254", True, True, False),
    ("64:ff9b::a9fe:a9fe", True, True, False),  # 169.254.169.254 through NAT64
    ("fd00:ec2::254", True, False, True),
    ("100.100.100.200", True, False, True),
    ("169.254.10.20", False, True, False),
    ("fe80::1", False, True, False),
    ("10.1.2.3", False, False, True),
    ("172.16.0.1", False, False, True),
    ("172.31.255.255", False, False, True),
    ("192.168.1.5", False, False, True),
    ("100.64.0.1", False, False, True),
    ("fd12:3456::1", False, False, True),
    ("::ffff:10.0.0.1", False, False, True),
    ("127.0.0.1", False, False, True),
    ("::1", False, False, True),
    ("0.0.0.0", False, False, True),
    ("172.32.0.1", False, False, False),
    ("192.0.2.1", False, False, False),
    ("2001:db8::1", False, False, False),
)


@pytest.mark.parametrize(("address", "metadata", "link_local", "private"), CLASSIFIED)
def test_addresses_are_classified(address, metadata, link_local, private):
    ip = ipaddress.ip_address(address)
    assert addresses.is_metadata(ip) is metadata
    assert addresses.is_link_local(ip) is link_local
    assert addresses.is_private(ip) is private


def test_a_resolved_ipv6_address_loses_its_zone():
    resolved = addresses.Resolved(socket.AF_INET6, ("fe80::1%eth0", 80, 0, 2))
    assert resolved.ip == ipaddress.ip_address("fe80::1")


def test_resolve_gives_every_address_once(monkeypatch):
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        calls.append(host)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    found = addresses.resolve("issuer.test", 443, 1.0)
    assert [str(address.ip) for address in found] == ["127.0.0.1", "::1"]
    assert found[1].sockaddr == ("::1", 443, 0, 0)
    assert calls == ["issuer.test"]


def test_a_slow_name_lookup_gives_up_at_the_timeout(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        time.sleep(2)
        return []

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        addresses.resolve("slow.test", 80, 0.2)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("host", "expected"),
    (
        ("localhost", True),
        ("LOCALHOST", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("", False),
        ("192.168.1.5", False),
        ("debugger.lan", False),
    ),
)
def test_is_loopback_host(host, expected):
    assert addresses.is_loopback_host(host) is expected
