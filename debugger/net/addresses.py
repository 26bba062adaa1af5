"""Which network addresses are this machine's, and which ones a key-set fetch may connect to.

A host name is resolved once (`resolve`); every address it gives is checked, and the connection
goes to one of those very addresses, so a name cannot point somewhere else between the check and
the connection (DNS rebinding). Nothing here imports Flask or makes a request.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from dataclasses import dataclass
from typing import Any

#: Names that always mean this machine.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
#: Bind addresses that mean "every address of this machine".
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Cloud instance-metadata services: they hand out credentials to whoever asks from the machine.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, Azure, Google Cloud, Oracle Cloud, DigitalOcean, OpenStack
        "169.254.170.2",  # AWS ECS task metadata and credentials
        "169.254.169.253",  # AWS DNS resolver
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::253",  # AWS DNS resolver over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (older instances)
    )
)
#: Link-local networks: addresses valid on one network segment only, home to metadata services.
LINK_LOCAL_NETWORKS: tuple[_Network, ...] = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
)
#: Private networks (RFC 1918, unique local IPv6, carrier-grade NAT) and this machine itself.
PRIVATE_NETWORKS: tuple[_Network, ...] = (
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("fc00::/7"),
    ipaddress.ip_network("fec0::/10"),  # deprecated site-local IPv6
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("0.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
    ipaddress.ip_network("::/128"),
)
#: NAT64's well-known prefix: the last 32 bits are an IPv4 address the gateway connects to.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


@dataclass(frozen=True)
class Resolved:
    """One address a host name resolved to, ready for `socket.connect`."""

    family: int
    sockaddr: tuple[Any, ...]

    @property
    def ip(self) -> IPAddress:
        """The address without an IPv6 zone (`fe80::1%eth0` -> `fe80::1`)."""
        return ipaddress.ip_address(str(self.sockaddr[0]).split("%", 1)[0])


def resolve(host: str, port: int, timeout: float) -> list[Resolved]:
    """Resolve `host` once, within `timeout` seconds; raises `socket.gaierror` or `TimeoutError`.

    The system resolver takes no timeout, so it runs in a daemon thread that is left to finish
    on its own if it takes too long.
    """
    outcome: list[Any] = []

    def lookup() -> None:
        try:
            outcome.append(socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM))
        except BaseException as err:  # handed to the caller's thread below
            outcome.append(err)

    worker = threading.Thread(target=lookup, name="resolve", daemon=True)
    worker.start()
    worker.join(max(timeout, 0.0))
    if not outcome:
        raise TimeoutError(f"resolving {host} took longer than {timeout:g} seconds")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    found = [Resolved(info[0], tuple(info[4])) for info in outcome[0]]
    if not found:
        raise socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
    return found


def is_metadata(ip: IPAddress) -> bool:
    """True for a cloud instance-metadata address, however it is written."""
    return any(candidate in METADATA_ADDRESSES for candidate in _forms(ip))


def is_link_local(ip: IPAddress) -> bool:
    """True for 169.254.0.0/16 and fe80::/10, also inside an IPv4-mapped or NAT64 address."""
    return any(_within(candidate, LINK_LOCAL_NETWORKS) for candidate in _forms(ip))


def is_private(ip: IPAddress) -> bool:
    """True for a private network, carrier-grade NAT, loopback or the unspecified address."""
    return any(_within(candidate, PRIVATE_NETWORKS) for candidate in _forms(ip))


def is_own_address(addresses: list[Resolved], port: int, own_port: int) -> bool:
    """True when `port` is `own_port` and any of `addresses` belongs to this machine.

    A fetch of keys from a URL must not be a way to call the debugger itself. An address is
    this machine's when it is loopback, unspecified, or one a socket can bind to here.
    """
    return port == own_port and any(_is_local_address(address) for address in addresses)


def is_loopback_host(host: str) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 (brackets allowed)."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def is_ip_literal(name: str) -> bool:
    """True when `name` is an IPv4 or IPv6 address rather than a host name."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _forms(ip: IPAddress) -> list[IPAddress]:
    """The address and the IPv4 address it carries, if any (`::ffff:a.b.c.d`, NAT64)."""
    forms: list[IPAddress] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            forms.append(ip.ipv4_mapped)
        elif ip in _NAT64:
            forms.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return forms


def _within(ip: IPAddress, networks: tuple[_Network, ...]) -> bool:
    return any(ip.version == network.version and ip in network for network in networks)


def _is_local_address(address: Resolved) -> bool:
    ip = address.ip
    if any(candidate.is_loopback or candidate.is_unspecified for candidate in _forms(ip)):
        return True
    # Binding succeeds only for an address of one of this machine's interfaces.
    try:
        with socket.socket(address.family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address.sockaddr[0]), 0))
    except OSError:
        return False
    return True
