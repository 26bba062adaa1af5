"""Fetching a JWK Set, only when asked: against local servers started here, never the internet."""

from __future__ import annotations

import datetime
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from jwt.algorithms import ECAlgorithm

from debugger.codes import ISSUER_TEMPLATE
from debugger.errors import DebuggerError
from debugger.net.jwks import FetchLimits, discovery_urls, fetch_jwks, issuer_template_warning
from debugger.web.app import create_app

from ..conftest import assert_canonical_error

FAST = FetchLimits(timeout=0.5)
LOOPBACK = ipaddress.ip_address("127.0.0.1")
SIGNING_KEY = ec.generate_private_key(ec.SECP256R1())
JWKS = {"keys": [{**ECAlgorithm.to_jwk(SIGNING_KEY.public_key(), as_dict=True), "kid": "k1"}]}


class Handler(BaseHTTPRequestHandler):
    """Answers by path; every request is recorded on the server."""

    def log_message(self, format, *args):  # noqa: A002 (base class name)
        pass

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.server.requests.append(self.path)
        self.server.hosts.append(self.headers.get("Host"))
        base = f"http://127.0.0.1:{self.server.server_port}"
        path = self.path
        if path == "/jwks":
            return self.send_json(JWKS)
        if path == "/redirect/same":
            return self.redirect("/jwks")
        if path.startswith("/redirect/chain/"):
            left = int(path.rsplit("/", 1)[1])
            return self.redirect(f"/redirect/chain/{left - 1}" if left > 1 else "/jwks")
        if path == "/redirect/other-host":
            return self.redirect(f"http://localhost:{self.server.server_port}/jwks")
        if path.startswith("/redirect/to-port/"):
            return self.redirect(f"http://127.0.0.1:{path.rsplit('/', 1)[1]}/jwks")
        if path == "/slow":
            time.sleep(2)
            return self.send_json(JWKS)
        if path == "/trickle":
            return self.trickle()
        if path == "/trickle-headers":
            return self.trickle_headers()
        if path.startswith("/after/"):  # /after/<seconds>/<path>: answers <path> that much later
            _, _, seconds, rest = path.split("/", 3)
            time.sleep(float(seconds))
            self.path = f"/{rest}"
            return self.do_GET()
        if path.startswith("/redirect/slow/"):
            left = int(path.rsplit("/", 1)[1])
            time.sleep(0.2)
            return self.redirect(f"/redirect/slow/{left - 1}" if left > 1 else "/jwks")
        if path == "/redirect/credentials":
            return self.redirect(f"http://user:s3cret@127.0.0.1:{self.server.server_port}/jwks")
        if path == "/big":
            return self.send_body(b"{" + b" " * (1024 * 1024) + b"}", "application/json")
        if path == "/big-unsized":
            return self.stream_unsized(2 * 1024 * 1024)
        if path == "/not-json":
            return self.send_body(b"<html><body>Login</body></html>", "text/html")
        if path == "/binary":
            return self.send_body(b"\xff\xfe\x00garbage", "application/octet-stream")
        if path == "/array":
            return self.send_json([JWKS])
        if path == "/no-keys":
            return self.send_json({"issuer": base})
        if path == "/empty":
            return self.send_json({"keys": []})
        if path == "/keys-not-list":
            return self.send_json({"keys": {"kid": "k1"}})
        if path.startswith("/status/"):
            return self.send_body(b"{}", "application/json", int(path.rsplit("/", 1)[1]))
        if path == "/idp/.well-known/openid-configuration":
            return self.send_json({"issuer": f"{base}/idp", "jwks_uri": f"{base}/jwks"})
        if path == "/.well-known/oauth-authorization-server/as":
            return self.send_json({"issuer": f"{base}/as", "jwks_uri": "/jwks"})
        if path == "/nojwks/.well-known/openid-configuration":
            return self.send_json({"issuer": f"{base}/nojwks"})
        if path == "/wrongiss/.well-known/openid-configuration":
            return self.send_json({"issuer": "https://elsewhere.example", "jwks_uri": "/jwks"})
        if path == "/common/v2.0/.well-known/openid-configuration":
            template = f"{base}/{{tenantid}}/v2.0"
            return self.send_json({"issuer": template, "jwks_uri": "/jwks"})
        if path == "/otherhost/.well-known/openid-configuration":
            other = f"http://localhost:{self.server.server_port}/jwks"
            return self.send_json({"issuer": f"{base}/otherhost", "jwks_uri": other})
        if path == "/redirecting/.well-known/openid-configuration":
            return self.redirect("/idp/.well-known/openid-configuration")
        if path == "/slowidp/.well-known/openid-configuration":
            time.sleep(0.35)
            return self.send_json({"issuer": f"{base}/slowidp", "jwks_uri": "/after/0.35/jwks"})
        return self.send_body(b"not found", "text/plain", 404)

    def send_json(self, value):
        self.send_body(json.dumps(value).encode(), "application/json")

    def send_body(self, body: bytes, content_type: str, status: int = 200):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the client stopped reading, as it should for an oversized answer

    def redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def trickle(self):
        body = json.dumps(JWKS).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass  # the client gave up, as it should

    def trickle_headers(self):
        """A status line, then a header one byte at a time: each byte well within a timeout."""
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(30):
                self.wfile.write(b"X")
                self.wfile.flush()
                time.sleep(0.1)
            self.wfile.write(b": 1\r\nContent-Length: 2\r\n\r\n{}")
        except OSError:
            pass  # the client gave up, as it should

    def stream_unsized(self, size: int):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        try:
            for _ in range(size // 65536):
                self.wfile.write(b" " * 65536)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, handler=Handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.requests: list[str] = []
        self.hosts: list[str | None] = []
        self.server_names: list[str | None] = []


def running(server: Server) -> Iterator[Server]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def http_server() -> Iterator[Server]:
    yield from running(Server())


@pytest.fixture
def base(http_server) -> str:
    return f"http://127.0.0.1:{http_server.server_port}"


def fetch_error(**kwargs) -> DebuggerError:
    with pytest.raises(DebuggerError) as raised:
        fetch_jwks(**kwargs)
    return raised.value


@pytest.fixture
def names(monkeypatch):
    """Names under .test resolve to the addresses set here; every lookup of them is recorded.

    `names.table["a.test"] = [["127.0.0.1"], ["127.0.0.2"]]`: the first lookup gives 127.0.0.1,
    every later one 127.0.0.2 (a name re-pointed between two lookups).
    """
    real = socket.getaddrinfo
    table: dict[str, list[list[str]]] = {}
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in table:
            return real(host, port, *args, **kwargs)
        answers = table[host][min(lookups.count(host), len(table[host]) - 1)]
        lookups.append(host)
        infos = []
        for address in answers:
            if ":" in address:
                infos.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)))
            else:
                infos.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)))
        return infos

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return SimpleNamespace(table=table, lookups=lookups)


@pytest.fixture
def connections(monkeypatch):
    """Every connection attempt is recorded, and none leaves this machine.

    A connection to an address in `stand_ins` goes to 127.0.0.1 on the same port instead; any
    other address that is not loopback is refused here, before a packet is sent.
    """
    real = socket.socket.connect
    attempts: list[str] = []
    stand_ins: set[str] = set()

    def connect(self, address):
        ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
        attempts.append(str(ip))
        if str(ip) in stand_ins:
            return real(self, ("127.0.0.1", address[1]))
        if not ip.is_loopback:
            raise ConnectionRefusedError(f"the tests never connect to {ip}")
        return real(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return SimpleNamespace(attempts=attempts, stand_ins=stand_ins)


# ---- fetching from a URL --------------------------------------------------------------------


def test_fetches_a_key_set_from_a_url(base):
    result = fetch_jwks(url=f"{base}/jwks", limits=FAST)
    assert result["jwks"] == JWKS
    assert json.loads(result["jwks_text"]) == JWKS
    assert result["url"] == f"{base}/jwks"
    assert result["source"] == "url"
    assert result["kids"] == ["k1"] and result["key_count"] == 1
    assert result["redirects"] == []


def test_a_fetched_set_verifies_a_token_through_the_api(client, base):
    token = jwt.encode({"sub": "a"}, SIGNING_KEY, algorithm="ES256", headers={"kid": "k1"})
    fetched = client.post("/api/jwks/fetch", json={"url": f"{base}/jwks"}).get_json()
    answer = client.post("/api/verify", json={"token": token, "key": fetched["jwks_text"]})
    assert answer.get_json()["signature_valid"] is True


def test_an_empty_key_set_is_fetched_with_a_warning(base):
    result = fetch_jwks(url=f"{base}/empty", limits=FAST)
    assert result["key_count"] == 0
    assert [w["code"] for w in result["warnings"]] == ["empty_key_set"]


def test_follows_redirects_on_the_same_host(base):
    result = fetch_jwks(url=f"{base}/redirect/same", limits=FAST)
    assert result["url"] == f"{base}/jwks"
    assert result["redirects"] == [f"{base}/jwks"]
    assert fetch_jwks(url=f"{base}/redirect/chain/5", limits=FAST)["jwks"] == JWKS


@pytest.mark.parametrize("path", ("/redirect/other-host", "/redirect/chain/6"))
def test_refuses_redirects_to_another_host_or_too_many(base, path):
    assert fetch_error(url=f"{base}{path}", limits=FAST).code == "fetch_redirect_refused"


def test_a_slow_server_times_out(base):
    started = time.monotonic()
    assert fetch_error(url=f"{base}/slow", limits=FAST).code == "fetch_timeout"
    assert time.monotonic() - started < 1.5


def test_a_trickling_answer_is_cut_at_the_deadline(base):
    started = time.monotonic()
    assert fetch_error(url=f"{base}/trickle", limits=FAST).code == "fetch_timeout"
    assert time.monotonic() - started < 1.5


def test_headers_trickling_in_are_cut_at_the_deadline(base):
    # Each byte arrives well within a per-read timeout; the whole answer would take 3 s.
    started = time.monotonic()
    assert fetch_error(url=f"{base}/trickle-headers", limits=FAST).code == "fetch_timeout"
    assert time.monotonic() - started < 1.5


def test_trickling_headers_are_cut_when_the_deadline_passes_not_before(base):
    limits = FetchLimits(timeout=2.0)
    started = time.monotonic()
    assert fetch_error(url=f"{base}/trickle-headers", limits=limits).code == "fetch_timeout"
    assert 1.9 < time.monotonic() - started < 2.8


def test_one_deadline_covers_discovery_and_the_key_set(base):
    # Each answer takes 0.35 s, within the 0.5 s limit alone but not together.
    started = time.monotonic()
    assert fetch_error(issuer=f"{base}/slowidp", limits=FAST).code == "fetch_timeout"
    assert time.monotonic() - started < 1.5
    assert fetch_jwks(issuer=f"{base}/slowidp", limits=FetchLimits(timeout=3))["jwks"] == JWKS


def test_one_deadline_covers_every_redirect(base):
    # Three redirects of 0.2 s each: within 3 s, not within 0.5 s.
    assert fetch_jwks(url=f"{base}/redirect/slow/3", limits=FetchLimits(timeout=3))["jwks"] == JWKS
    started = time.monotonic()
    assert fetch_error(url=f"{base}/redirect/slow/3", limits=FAST).code == "fetch_timeout"
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("path", ("/big", "/big-unsized"))
def test_an_answer_over_the_size_cap_is_refused(base, path):
    assert fetch_error(url=f"{base}{path}", limits=FAST).code == "fetch_too_large"


@pytest.mark.parametrize(
    ("path", "code"),
    (
        ("/not-json", "fetch_not_json"),
        ("/binary", "fetch_not_json"),
        ("/array", "fetch_not_json"),
        ("/no-keys", "fetch_no_keys"),
        ("/keys-not-list", "fetch_no_keys"),
        ("/status/500", "fetch_http_status"),
        ("/status/404", "fetch_http_status"),
        ("/status/204", "fetch_http_status"),
    ),
)
def test_malformed_answers_have_clear_codes(base, path, code):
    assert fetch_error(url=f"{base}{path}", limits=FAST).code == code


@pytest.mark.parametrize(
    "url",
    (
        "ftp://127.0.0.1/jwks",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://",
        "not a url",
        "http://127.0.0.1:99999/jwks",
        "http://[::1/jwks",
    ),
)
def test_only_http_and_https_urls_with_a_host(url):
    assert fetch_error(url=url, limits=FAST).code == "fetch_bad_url"


def test_an_unknown_host_is_a_dns_failure():
    assert (
        fetch_error(url="http://nonexistent.invalid/jwks", limits=FAST).code == "fetch_dns_failed"
    )


def test_a_closed_port_is_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = fetch_error(url=f"http://127.0.0.1:{port}/jwks", limits=FAST)
    assert error.code == "fetch_connection_refused"


def test_refuses_the_debuggers_own_port(http_server, base):
    limits = FetchLimits(timeout=0.5, own_port=http_server.server_port)
    before = list(http_server.requests)
    for url in (f"{base}/jwks", f"http://localhost:{http_server.server_port}/jwks"):
        assert fetch_error(url=url, limits=limits).code == "fetch_own_address"
    assert http_server.requests == before


def test_a_redirect_to_the_debuggers_own_port_is_refused(base):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        own = probe.getsockname()[1]
    limits = FetchLimits(timeout=0.5, own_port=own)
    error = fetch_error(url=f"{base}/redirect/to-port/{own}", limits=limits)
    assert error.code == "fetch_own_address"


def test_the_default_limits_are_those_documented():
    limits = FetchLimits()
    assert (limits.timeout, limits.max_bytes, limits.max_redirects) == (5.0, 1024 * 1024, 5)
    assert limits.allow_private_networks is True


# ---- where a fetch may connect --------------------------------------------------------------


def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected(
    http_server, names, connections
):
    port = http_server.server_port
    # Re-pointed after the first lookup: to 127.0.0.2, where nothing listens on that port.
    names.table["rebind.test"] = [["127.0.0.1"], ["127.0.0.2"]]
    limits = FetchLimits(timeout=2, own_port=port + 1)
    result = fetch_jwks(url=f"http://rebind.test:{port}/jwks", limits=limits)
    assert result["jwks"] == JWKS
    assert names.lookups == ["rebind.test"]
    assert connections.attempts == ["127.0.0.1"]
    assert http_server.hosts[-1] == f"rebind.test:{port}"


def test_a_name_re_pointed_at_the_debugger_between_two_lookups_is_not_followed(
    http_server, names, connections
):
    port = http_server.server_port
    # The check sees a documentation address; a second lookup would give the debugger's own.
    names.table["rebind.test"] = [["192.0.2.10"], ["127.0.0.1"]]
    limits = FetchLimits(timeout=2, own_port=port)
    before = list(http_server.requests)
    error = fetch_error(url=f"http://rebind.test:{port}/jwks", limits=limits)
    assert error.code == "fetch_connection_refused"
    assert names.lookups == ["rebind.test"]
    assert connections.attempts == ["192.0.2.10"]
    assert http_server.requests == before


@pytest.mark.parametrize(
    "url",
    (
        "http://user:s3cret@127.0.0.1:{port}/jwks",
        "http://user@127.0.0.1:{port}/jwks",
        "http://:s3cret@127.0.0.1:{port}/jwks",
        "https://user:s3cret@127.0.0.1:{port}/jwks",
    ),
)
def test_credentials_in_the_url_are_refused(http_server, url):
    before = list(http_server.requests)
    error = fetch_error(url=url.format(port=http_server.server_port), limits=FAST)
    assert (error.code, error.field) == ("fetch_credentials_in_url", "url")
    assert "s3cret" not in error.message
    assert http_server.requests == before


def test_credentials_in_an_issuer_or_a_redirect_are_refused(base):
    issuer = base.replace("http://", "http://user:s3cret@") + "/idp"
    error = fetch_error(issuer=issuer, limits=FAST)
    assert (error.code, error.field) == ("fetch_credentials_in_url", "issuer")
    error = fetch_error(url=f"{base}/redirect/credentials", limits=FAST)
    assert error.code == "fetch_credentials_in_url"
    assert "s3cret" not in error.message


@pytest.mark.parametrize("allow_private_networks", (True, False))
@pytest.mark.parametrize(
    ("resolved", "code"),
    (
        (["169.254.169.254"], "fetch_metadata_address"),
        (["fd00:ec2::254"], "fetch_metadata_address"),
        (["::ffff:169.254.169.254"], "fetch_metadata_address"),
        (["100.100.100.200"], "fetch_metadata_address"),
        (["169.254.10.20"], "fetch_link_local_address"),
        (["fe80::1"], "fetch_link_local_address"),
        (["127.0.0.1", "169.254.169.254"], "fetch_metadata_address"),  # every address counts
    ),
)
def test_metadata_and_link_local_addresses_are_always_refused(
    http_server, names, connections, allow_private_networks, resolved, code
):
    names.table["cloud.test"] = [resolved]
    limits = FetchLimits(timeout=0.5, allow_private_networks=allow_private_networks)
    error = fetch_error(url=f"http://cloud.test:{http_server.server_port}/jwks", limits=limits)
    assert (error.code, error.field) == (code, "url")
    assert connections.attempts == []


@pytest.mark.parametrize(
    "url", ("http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/")
)
def test_a_metadata_address_written_in_the_url_is_refused(connections, url):
    assert fetch_error(url=url, limits=FAST).code == "fetch_metadata_address"
    assert connections.attempts == []


def test_each_redirect_is_resolved_and_checked_before_connecting(http_server, names, connections):
    # The same host, re-pointed at a metadata address by the time of the redirect.
    names.table["idp.test"] = [["127.0.0.1"], ["169.254.169.254"]]
    error = fetch_error(url=f"http://idp.test:{http_server.server_port}/redirect/same", limits=FAST)
    assert error.code == "fetch_metadata_address"
    assert names.lookups == ["idp.test", "idp.test"]
    assert connections.attempts == ["127.0.0.1"]


@pytest.mark.parametrize(
    "resolved", (["10.1.2.3"], ["172.16.5.4"], ["192.168.1.20"], ["100.64.0.9"], ["fd12::1"])
)
def test_private_networks_are_refused_when_listening_beyond_loopback(
    http_server, names, connections, resolved
):
    names.table["intranet.test"] = [resolved]
    limits = FetchLimits(timeout=0.5, allow_private_networks=False)
    error = fetch_error(url=f"http://intranet.test:{http_server.server_port}/jwks", limits=limits)
    assert error.code == "fetch_private_address"
    assert connections.attempts == []


def test_this_machine_is_refused_when_listening_beyond_loopback(http_server, connections):
    limits = FetchLimits(timeout=0.5, allow_private_networks=False)
    for host in ("127.0.0.1", "localhost"):
        error = fetch_error(url=f"http://{host}:{http_server.server_port}/jwks", limits=limits)
        assert error.code == "fetch_private_address"
    assert connections.attempts == []


def test_a_private_network_issuer_is_fetched_when_listening_on_loopback(
    http_server, names, connections
):
    names.table["intranet.test"] = [["10.1.2.3"]]
    connections.stand_ins.add("10.1.2.3")  # 127.0.0.1 answers in its place
    url = f"http://intranet.test:{http_server.server_port}/jwks"
    assert fetch_jwks(url=url, limits=FetchLimits(timeout=2))["jwks"] == JWKS
    assert connections.attempts == ["10.1.2.3"]
    assert http_server.hosts[-1] == f"intranet.test:{http_server.server_port}"


# ---- TLS ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def https_server(tmp_path_factory) -> Iterator[Server]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(LOOPBACK), x509.DNSName("issuer.test")]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server = Server()
    context.sni_callback = lambda _socket, name, _context: server.server_names.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.certificate_file = folder / "cert.pem"
    yield from running(server)


def test_an_untrusted_certificate_is_a_tls_failure(https_server):
    url = f"https://127.0.0.1:{https_server.server_port}/jwks"
    assert fetch_error(url=url, limits=FAST).code == "fetch_tls_failed"


def test_a_redirect_from_https_to_http_is_refused(https_server, monkeypatch):
    # OpenSSL reads SSL_CERT_FILE for its default trust store: the test certificate is trusted.
    monkeypatch.setenv("SSL_CERT_FILE", str(https_server.certificate_file))
    base = f"https://127.0.0.1:{https_server.server_port}"
    assert fetch_jwks(url=f"{base}/redirect/same", limits=FAST)["jwks"] == JWKS
    # The same host and port, but http: a network attacker could answer that one.
    error = fetch_error(url=f"{base}/redirect/to-port/{https_server.server_port}", limits=FAST)
    assert error.code == "fetch_redirect_refused"
    assert "from https to http" in error.message


def test_https_to_a_pinned_address_checks_the_certificate_for_the_name(
    https_server, names, monkeypatch
):
    monkeypatch.setenv("SSL_CERT_FILE", str(https_server.certificate_file))
    port = https_server.server_port
    names.table["issuer.test"] = [["127.0.0.1"]]
    names.table["other.test"] = [["127.0.0.1"]]
    assert fetch_jwks(url=f"https://issuer.test:{port}/jwks", limits=FAST)["jwks"] == JWKS
    assert https_server.server_names[-1] == "issuer.test"
    assert https_server.hosts[-1] == f"issuer.test:{port}"
    # The same address, but a name the certificate does not hold.
    error = fetch_error(url=f"https://other.test:{port}/jwks", limits=FAST)
    assert error.code == "fetch_tls_failed"
    assert names.lookups == ["issuer.test", "other.test"]


def test_https_headers_trickling_in_are_cut_at_the_deadline(https_server, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(https_server.certificate_file))
    url = f"https://127.0.0.1:{https_server.server_port}/trickle-headers"
    started = time.monotonic()
    assert fetch_error(url=url, limits=FAST).code == "fetch_timeout"
    assert time.monotonic() - started < 1.5


# ---- discovery ----------------------------------------------------------------------------------


def test_discovery_urls_for_an_issuer_with_and_without_a_path():
    assert discovery_urls("https://id.example") == [
        ("https://id.example/.well-known/openid-configuration", "openid-configuration"),
        ("https://id.example/.well-known/oauth-authorization-server", "oauth-authorization-server"),
    ]
    assert [url for url, _ in discovery_urls("https://id.example/tenant/")] == [
        "https://id.example/tenant/.well-known/openid-configuration",
        "https://id.example/.well-known/oauth-authorization-server/tenant",
        "https://id.example/tenant/.well-known/oauth-authorization-server",
    ]


def test_discovers_the_key_set_through_openid_configuration(base):
    result = fetch_jwks(issuer=f"{base}/idp", limits=FAST)
    assert result["jwks"] == JWKS
    assert result["source"] == "openid-configuration"
    assert result["discovery_url"] == f"{base}/idp/.well-known/openid-configuration"
    assert result["url"] == f"{base}/jwks"
    assert result["issuer"] == f"{base}/idp"
    assert result["warnings"] == []


def test_falls_back_to_oauth_authorization_server_metadata(base):
    result = fetch_jwks(issuer=f"{base}/as", limits=FAST)
    assert result["source"] == "oauth-authorization-server"
    assert result["discovery_url"] == f"{base}/.well-known/oauth-authorization-server/as"
    assert result["url"] == f"{base}/jwks"


def test_discovery_follows_a_same_host_redirect(base):
    result = fetch_jwks(issuer=f"{base}/redirecting", limits=FAST)
    assert result["discovery_url"] == f"{base}/idp/.well-known/openid-configuration"


def test_a_key_set_on_another_host_than_the_issuer_is_a_warning(base):
    result = fetch_jwks(issuer=f"{base}/otherhost", limits=FAST)
    assert result["jwks"] == JWKS
    assert [w["code"] for w in result["warnings"]] == ["jwks_uri_other_host"]


def test_metadata_for_another_issuer_is_a_warning(base):
    result = fetch_jwks(issuer=f"{base}/wrongiss", limits=FAST)
    assert [w["code"] for w in result["warnings"]] == ["issuer_mismatch"]


def test_a_multi_tenant_issuer_template_is_explained_not_a_mismatch(base):
    result = fetch_jwks(issuer=f"{base}/common/v2.0", limits=FAST)
    assert result["jwks"] == JWKS
    assert [w["code"] for w in result["warnings"]] == ["issuer_template"]
    assert "{tenantid}" in result["warnings"][0]["message"]


@pytest.mark.parametrize(
    ("named", "asked", "explained"),
    (
        (
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            "https://login.microsoftonline.com/common/v2.0",
            True,
        ),
        (
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            "https://login.microsoftonline.com/organizations/v2.0/",
            True,
        ),
        (
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            "https://login.example.com/common/v2.0",
            False,
        ),
        (
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            "https://login.microsoftonline.com/a/b/v2.0",
            False,
        ),
        ("https://id.example/{not a name}", "https://id.example/x", False),
        ("https://id.example", "https://id.example", False),
        (None, "https://id.example", False),
    ),
)
def test_issuer_template_warning_only_for_a_template_the_issuer_fits(named, asked, explained):
    warning = issuer_template_warning(named, asked)
    assert (warning is not None and warning["code"] == ISSUER_TEMPLATE) is explained
    assert explained or warning is None


@pytest.mark.parametrize(
    ("issuer", "code"),
    (
        ("/nojwks", "fetch_no_jwks_uri"),
        ("/nothing-here", "fetch_http_status"),
    ),
)
def test_discovery_failures(base, issuer, code):
    error = fetch_error(issuer=f"{base}{issuer}", limits=FAST)
    assert (error.code, error.field) == (code, "issuer")


def test_url_or_issuer_but_not_both():
    assert fetch_error(url="http://a.example", issuer="http://a.example").code == "invalid_request"
    assert fetch_error().code == "invalid_request"


# ---- through the API, and never on its own ----------------------------------------------------


def test_fetch_endpoint_returns_the_set_and_its_origin(client, base):
    response = client.post("/api/jwks/fetch", json={"issuer": f"{base}/idp"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["jwks"] == JWKS and body["source"] == "openid-configuration"


@pytest.mark.parametrize(
    ("body", "code"),
    (
        ({}, "invalid_request"),
        ({"url": 5}, "invalid_request"),
        ({"url": "http://a.example", "issuer": "http://a.example"}, "invalid_request"),
        ({"url": "gopher://a.example"}, "fetch_bad_url"),
    ),
)
def test_fetch_endpoint_errors(client, body, code):
    assert_canonical_error(client.post("/api/jwks/fetch", json=body), 400, code)


def test_fetch_endpoint_refuses_the_port_the_app_serves_on(http_server):
    port = http_server.server_port
    app = create_app({"TESTING": True, "SERVER_HOST": "127.0.0.1", "SERVER_PORT": port})
    response = app.test_client().post(
        "/api/jwks/fetch",
        json={"url": f"http://127.0.0.1:{port}/jwks"},
        base_url=f"http://127.0.0.1:{port}",
    )
    assert_canonical_error(response, 400, "fetch_own_address")


def test_fetch_endpoint_refuses_private_networks_only_when_listening_beyond_loopback(
    http_server, names, connections
):
    names.table["intranet.test"] = [["10.1.2.3"]]
    connections.stand_ins.add("10.1.2.3")  # 127.0.0.1 answers in its place
    body = {"url": f"http://intranet.test:{http_server.server_port}/jwks"}
    wide = create_app({"TESTING": True, "SERVER_HOST": "0.0.0.0", "SERVER_PORT": 8765})
    response = wide.test_client().post(
        "/api/jwks/fetch", json=body, base_url="http://192.168.1.5:8765"
    )
    assert_canonical_error(response, 400, "fetch_private_address")
    assert connections.attempts == []
    local = create_app({"TESTING": True, "SERVER_HOST": "127.0.0.1", "SERVER_PORT": 8765})
    response = local.test_client().post(
        "/api/jwks/fetch", json=body, base_url="http://127.0.0.1:8765"
    )
    assert response.status_code == 200 and response.get_json()["jwks"] == JWKS
    assert connections.attempts == ["10.1.2.3"]


@pytest.mark.parametrize("host", ("127.0.0.1", "0.0.0.0"))
def test_fetch_endpoint_always_refuses_metadata_addresses(names, connections, host):
    names.table["metadata.test"] = [["169.254.169.254"]]
    app = create_app({"TESTING": True, "SERVER_HOST": host, "SERVER_PORT": 8765})
    response = app.test_client().post(
        "/api/jwks/fetch",
        json={"url": "http://metadata.test/latest/meta-data/"},
        base_url="http://127.0.0.1:8765",
    )
    assert_canonical_error(response, 400, "fetch_metadata_address")
    assert connections.attempts == []


def test_fetch_endpoint_reports_a_missing_key_set(client, base):
    response = client.post("/api/jwks/fetch", json={"url": f"{base}/no-keys"})
    assert_canonical_error(response, 400, "fetch_no_keys")


def test_decode_and_verify_never_fetch_jku_x5u_or_iss(client, http_server, base):
    before = list(http_server.requests)
    headers = {"kid": "k1", "jku": f"{base}/jwks", "x5u": f"{base}/cert"}
    claims = {"iss": f"{base}/idp"}
    token = jwt.encode(claims, SIGNING_KEY, algorithm="ES256", headers=headers)
    client.post("/api/decode", json={"token": token})
    pem = SIGNING_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    verified = client.post("/api/verify", json={"token": token, "key": pem.decode()})
    assert verified.get_json()["signature_valid"] is True
    time.sleep(0.1)
    assert http_server.requests == before
