"""The `probe`, `scan` and `extract` commands' arguments. The parser is built for every command,
`--version` included, so this module names the choices without importing the core;
tests/cli/test_probe.py checks them against `PLACEMENTS`."""

from __future__ import annotations

from typing import Any

PLACEMENT_NAMES = ("bearer", "header", "cookie", "query")
#: The notice a scan is run under: its `--yes` says the user has read it.
SCAN_NOTICE = "Scan only systems you are allowed to test."


def add_parsers(commands: Any) -> None:
    """The `probe`, `scan` and `extract` commands."""
    _probe_parser(commands)
    _scan_parser(commands)
    _extract_parser(commands)


def _add_request(parser: Any) -> None:
    """The options that say how to send the token: method, placement, headers, body."""
    parser.add_argument("url", metavar="URL", help="the API's URL (http or https)")
    parser.add_argument("--method", default="GET", metavar="M", help="HTTP method (default GET)")
    parser.add_argument(
        "--placement",
        choices=PLACEMENT_NAMES,
        default="bearer",
        help="where the token goes: Authorization Bearer (default), another header, a cookie "
        "or a query parameter",
    )
    parser.add_argument(
        "--name", metavar="N", help="the header, cookie or query parameter name for the token"
    )
    parser.add_argument(
        "--header",
        action="append",
        metavar="'NAME: VALUE'",
        help="an extra header (repeatable); VALUE may be @FILE or env:NAME",
    )
    parser.add_argument("--body", metavar="TEXT|@FILE", help="the request body")


def _probe_parser(commands: Any) -> None:
    probe = commands.add_parser(
        "probe",
        help="send a token to an API and explain its answer",
        description="Send one request to URL with the token and show the request as sent "
        "(secrets masked), the status, headers and body (first 64 KiB), and what the "
        "WWW-Authenticate challenge means. Exits 0 for a 2xx answer, 1 for any other status "
        "or when no answer came back.",
    )
    _add_request(probe)
    probe.add_argument("--token", metavar="T", help="the token: text, @FILE, env:NAME or -")
    probe.add_argument(
        "--dpop-key", metavar="KEY", help="private key: send a DPoP proof made with it"
    )
    probe.add_argument("--json", action="store_true", help="print the API's JSON answer")


def _scan_parser(commands: Any) -> None:
    scan = commands.add_parser(
        "scan",
        help="send forged tokens to an API and see which it accepts",
        description="Send the genuine token, a copy with a changed signature, and each forged "
        "variant of the attack lab to URL, once each, and report the ones the API accepts "
        f"(answers as it answers the genuine token). {SCAN_NOTICE} Exits 0 when the API "
        "refused every forged token, 1 when it accepted one (vulnerable), 2 when the genuine "
        "token was not accepted (nothing could be judged) or on a usage error.",
    )
    _add_request(scan)
    scan.add_argument(
        "--token", required=True, metavar="T", help="the genuine token: text, @FILE, env:NAME or -"
    )
    scan.add_argument(
        "--key",
        metavar="KEY",
        help="the issuer's public key (key confusion) or the signing key (expired copy)",
    )
    scan.add_argument("--jku-url", metavar="URL", help="the URL the jku variant names")
    scan.add_argument(
        "--yes",
        action="store_true",
        help=f"required: you confirm that you are allowed to test this API. {SCAN_NOTICE}",
    )
    output = scan.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the API's JSON answer")
    output.add_argument("--markdown", action="store_true", help="print the report as Markdown")


def _extract_parser(commands: Any) -> None:
    extract = commands.add_parser(
        "extract",
        help="find the tokens in a curl command, log, HAR or .env file",
        description="List every JWS and JWE in the text, once each, with where it was found "
        "and a quick verdict. Nothing is sent. Exits 0 when a token was found, 1 when none.",
    )
    extract.add_argument(
        "file", nargs="?", metavar="FILE|-", help="the file; - or a pipe reads standard input"
    )
    extract.add_argument("--json", action="store_true", help="print the API's JSON answer")
