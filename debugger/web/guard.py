"""Who may talk to the debugger: the Host, Origin and Content-Type rules every request passes.

The debugger listens on a local port that any web page the user visits can try to reach. Three
rules keep such pages out:

- DNS rebinding: a page on `evil.example` whose name is re-pointed at 127.0.0.1 reaches the port
  with `Host: evil.example`. Only the names and the port being served are answered.
- Cross-site requests: a browser names the page that sends a POST in `Origin`. A POST from any
  origin but the debugger's own is refused, and no CORS header ever lets a foreign page read an
  answer. When the debugger listens beyond loopback, the Origin must be exactly the address the
  request was sent to: another machine on the network could serve a page on the same port.
- Form posts: a plain HTML form cannot send `Content-Type: application/json`, so the JSON
  endpoints take nothing else.

These functions take plain strings and raise `DebuggerError`; `app.py` calls them before every
request. Nothing here imports Flask.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from ..errors import (
    HOST_NOT_ALLOWED,
    ORIGIN_NOT_ALLOWED,
    UNSUPPORTED_MEDIA_TYPE,
    DebuggerError,
)
from ..net.addresses import LOOPBACK_NAMES, WILDCARD_HOSTS, is_ip_literal, is_loopback_host

#: Methods that change nothing and carry no secret, so a foreign Origin is harmless.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_MIMETYPE = "application/json"


@dataclass(frozen=True)
class Served:
    """Where the debugger listens: the host names and the port a request must be addressed to.

    `port` is None when the application was not told where it listens (a test client, or an app
    served by another WSGI server): then any port on a loopback name is accepted, which still
    refuses every rebound foreign name. `loopback_only` is False when the server can be reached
    from other machines (a wildcard or any other non-loopback bind address).
    """

    names: frozenset[str]
    port: int | None = None
    any_ip_literal: bool = False
    loopback_only: bool = True

    @classmethod
    def at(cls, host: str | None, port: int | None) -> Served:
        """The names a server bound to `host`:`port` answers to."""
        names = set(LOOPBACK_NAMES)
        bind = (host or "").strip("[]").lower()
        wildcard = bind in WILDCARD_HOSTS
        if wildcard:
            names.add(socket.gethostname().lower())
        else:
            names.add(bind)
        # A wildcard bind is reached through any address of this machine. An IP literal in
        # `Host` cannot be a rebound name: the browser's origin is then that address itself.
        loopback_only = not wildcard and is_loopback_host(bind)
        return cls(frozenset(names), port, any_ip_literal=wildcard, loopback_only=loopback_only)

    def allows(self, name: str, port: int) -> bool:
        """True when a request addressed to `name`:`port` is meant for this server."""
        if self.port is not None and port != self.port:
            return False
        if name in self.names:
            return True
        if self.any_ip_literal and is_ip_literal(name):
            return True
        return self.port is None and is_loopback_host(name)

    def describe(self) -> str:
        """The addresses to use, for error messages: '127.0.0.1:8765, localhost:8765, ...'."""
        port = f":{self.port}" if self.port is not None else ""
        shown = sorted(f"[{n}]" if ":" in n else n for n in self.names)
        return ", ".join(f"{name}{port}" for name in shown)


#: What an application not told its address accepts: loopback names on any port.
LOOPBACK_ANY_PORT = Served(LOOPBACK_NAMES)


def split_host(host: str, default_port: int = 80) -> tuple[str, int] | None:
    """`'[::1]:8765'` -> `('::1', 8765)`; None when it is not a host and an optional port."""
    host = host.strip().lower()
    if host.startswith("["):
        name, sep, rest = host[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else ""
    elif host.count(":") == 1:
        name, _, port_text = host.partition(":")
    elif ":" in host:
        return None  # an IPv6 address must be in brackets
    else:
        name, port_text = host, ""
    if not name:
        return None
    if not port_text:
        return name, default_port
    if not port_text.isdigit() or len(port_text) > 5:
        return None
    return name, int(port_text)


def check_host(host: str | None, served: Served) -> None:
    """Refuse a request whose `Host` is missing or not an address being served (DNS rebinding)."""
    if host is None:
        raise DebuggerError(
            HOST_NOT_ALLOWED,
            "The request has no Host header: send it with the address the debugger listens on "
            f"({served.describe()}).",
            status=403,
        )
    parts = split_host(host)
    if parts is None or not served.allows(*parts):
        raise DebuggerError(
            HOST_NOT_ALLOWED,
            "This debugger only answers requests addressed to where it listens "
            f"({served.describe()}). Open it at one of those addresses.",
            status=403,
        )


def check_origin(
    method: str,
    origin: str | None,
    fetch_site: str | None,
    host: str,
    served: Served,
) -> None:
    """Refuse a state-changing request sent by a page from any other origin."""
    if method.upper() in SAFE_METHODS:
        return
    if origin is None:
        # Browsers send Origin with every POST; without one, trust Sec-Fetch-Site if present.
        if fetch_site is None or fetch_site.lower() in ("same-origin", "none"):
            return
    elif _is_own_origin(origin, host, served):
        return
    raise DebuggerError(
        ORIGIN_NOT_ALLOWED,
        "Requests from other web pages are refused: only the debugger's own page may use its API.",
        status=403,
    )


def _is_own_origin(origin: str, host: str, served: Served) -> bool:
    scheme, sep, rest = origin.strip().partition("://")
    if not sep or scheme.lower() != "http" or "/" in rest:
        return False  # "null", https, or anything that is not a plain http origin
    theirs = split_host(rest)
    ours = split_host(host)
    if theirs is None or ours is None or theirs[1] != ours[1]:
        return False
    if not served.loopback_only and theirs != ours:
        # Reachable from the network: a page served by another machine on the same port is
        # not ours, so the Origin must name exactly the host the request was addressed to.
        return False
    return served.allows(*theirs)


def check_content_type(mimetype: str) -> None:
    """Refuse a JSON endpoint's request that is not sent as `application/json`."""
    if mimetype.lower() != JSON_MIMETYPE:
        raise DebuggerError(
            UNSUPPORTED_MEDIA_TYPE,
            "Send the request body as JSON with the header Content-Type: application/json.",
            status=415,
        )
