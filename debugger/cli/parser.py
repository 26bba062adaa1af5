"""The command line: `python -m debugger` (or `jwt-debugger`) serves the page; its commands
decode, verify, encode, generate keys and lint in the terminal with the same core as the page.

Exit codes: 0 valid or done, 1 the token is invalid (or has a finding at or above --fail-on),
2 a usage or input error, reported as one line on standard error. Nothing here imports Flask.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from .. import __version__
from ..codes import SEVERITIES

if TYPE_CHECKING:  # the commands load only when one runs: --version stays light
    from .commands import Outcome
    from .inputs import Inputs

COMMANDS = (
    "serve",
    "decode",
    "verify",
    "encode",
    "keygen",
    "lint",
    "decrypt",
    "encrypt",
    "oauth",
    "probe",
    "scan",
    "extract",
    "recover-key",
)
SEVERITY_CHOICES = (*SEVERITIES, "never")
EXIT_OK, EXIT_USAGE = 0, 2
_LOOKS_LIKE_TOKEN = re.compile(r"^(?:bearer\s+)?[\w-]*\.[\w-]*\.?[\w-]*", re.IGNORECASE)
_EPILOG = """\
Without a command, serve runs. `jwt-debugger COMMAND --help` describes each one.

Exit codes: 0 valid or done; 1 the token is invalid, or has a finding at or
above --fail-on; 2 a usage or input error (one line on standard error).
probe: 1 for an answer that is not 2xx. scan: 1 when the API accepted a
forged token, 2 when it refused the genuine one. extract: 1 when none found.

A KEY is text, @FILE, env:NAME or - (standard input). @FILE and env:NAME keep
secrets out of shell history and the process list."""


def _serve_parser(commands: Any) -> None:
    serve = commands.add_parser("serve", help="serve the debugger page (the default)")
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: only this machine can reach it; any "
        "other address lets others on the network use the debugger)",
    )
    serve.add_argument(
        "--port", type=int, default=8765, help="port to listen on; 0 picks a free one"
    )
    serve.add_argument(
        "--no-browser", action="store_true", help="do not open the page in a browser"
    )
    serve.add_argument(
        "--verbose", action="store_true", help="log each request (method, route and status only)"
    )
    serve.add_argument(
        "--labs",
        action="store_true",
        help="also serve the hands-on labs at /labs/: deliberately insecure APIs to break, "
        "answering on loopback only",
    )
    serve.add_argument(
        "--classroom",
        action="store_true",
        help="print a one-page summary of the labs and exit",
    )


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line, like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_output(parser: Any) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print the JSON answer the API gives for this input"
    )


def _add_clock(parser: argparse.ArgumentParser, *, leeway: bool = True) -> None:
    parser.add_argument(
        "--now",
        type=_now,
        metavar="TIME",
        help="check times as at this moment: seconds since 1970, an ISO date, or +2h from now",
    )
    if leeway:
        parser.add_argument(
            "--leeway",
            type=_seconds,
            default=0,
            metavar="SECONDS",
            help="accept exp and nbf this many seconds off (clock skew)",
        )


def _add_key(parser: Any, help_text: str) -> None:
    parser.add_argument("--key", metavar="KEY", help=help_text)


def _add_secret_encoding(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--secret-encoding",
        default="utf-8",
        choices=("utf-8", "base64", "base64url", "hex"),
        metavar="ENCODING",
        help="how an HMAC secret is written: utf-8 (default), base64, base64url or hex",
    )


def _add_token(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "token", nargs="?", metavar="TOKEN|-", help="the token; - or a pipe reads standard input"
    )


def _add_fail_on(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--fail-on",
        choices=SEVERITY_CHOICES,
        default=default,
        metavar="SEVERITY",
        help=f"exit 1 when a finding is at least this severe: {', '.join(SEVERITY_CHOICES)} "
        f"(default {default})",
    )


def _decode_parser(commands: Any) -> None:
    decode = commands.add_parser(
        "decode",
        help="show a token's parts, times and findings",
        description="Show a token's header, payload, signature, times and findings. Exits 1 "
        "only when the token cannot be read, or with --fail-on.",
    )
    _add_token(decode)
    _add_fail_on(decode, "never")
    _add_clock(decode)
    _add_output(decode)


def _verify_parser(commands: Any) -> None:
    verify = commands.add_parser(
        "verify",
        help="check a token's signature, times and claims",
        description="Check the signature with a key, the times, and the claims you expect. "
        "Exits 0 when all hold, 1 when any fails.",
    )
    _add_token(verify)
    source = verify.add_mutually_exclusive_group(required=True)
    _add_key(source, "secret or public key (PEM, JWK or JWK Set): text, @FILE, env:NAME or -")
    source.add_argument("--jwks-url", metavar="URL", help="fetch the JWK Set from this URL")
    source.add_argument(
        "--issuer", metavar="URL", help="fetch the issuer's JWK Set by OpenID discovery"
    )
    _add_secret_encoding(verify)
    verify.add_argument(
        "--alg", action="append", metavar="ALG", help="allow only this algorithm (repeatable)"
    )
    verify.add_argument(
        "--aud", action="append", metavar="AUD", help="expected audience (repeatable: any one)"
    )
    verify.add_argument("--iss", metavar="ISS", help="expected issuer")
    verify.add_argument("--sub", metavar="SUB", help="expected subject")
    verify.add_argument(
        "--require",
        action="append",
        metavar="CLAIM",
        help="a claim that must be present (repeatable)",
    )
    verify.add_argument(
        "--payload", metavar="TEXT|@FILE", help="the detached payload, for a token without one"
    )
    _add_fail_on(verify, "never")
    _add_clock(verify)
    _add_output(verify)


def _encode_parser(commands: Any) -> None:
    encode = commands.add_parser(
        "encode",
        help="sign a payload and print the token",
        description="Sign a JSON payload and print the token. TIME is +30m, +2h, +7d (s, m, h, "
        "d, w; --exp=-5m for the past), seconds since 1970, or an ISO date or time (UTC unless "
        "it names a zone).",
    )
    encode.add_argument(
        "payload", nargs="?", metavar="PAYLOAD|@FILE|-", help="the payload JSON (default {})"
    )
    _add_key(encode, "secret or private key: text, @FILE, env:NAME or -")
    _add_secret_encoding(encode)
    encode.add_argument(
        "--alg", metavar="ALG", help="the algorithm (default: the key's; HS256 for a secret)"
    )
    encode.add_argument(
        "--header", metavar="JSON|@FILE", help='the header (default {"alg": ALG, "typ": "JWT"})'
    )
    encode.add_argument("--exp", metavar="TIME", help="set exp, for example +30m")
    encode.add_argument("--nbf", metavar="TIME", help="set nbf")
    encode.add_argument(
        "--iat",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="set iat to now (default: when the payload has none)",
    )
    encode.add_argument(
        "-P",
        dest="claim",
        action="append",
        metavar="NAME=VALUE",
        help="set a claim; VALUE is JSON if it parses, else a string (repeatable)",
    )
    _add_clock(encode, leeway=False)
    _add_output(encode)


def _keygen_parser(commands: Any) -> None:
    keygen = commands.add_parser(
        "keygen",
        help="generate a key or secret for an algorithm",
        description="Generate a key pair, or an HMAC secret, for ALG, with its RFC 7638 "
        "thumbprint as kid. Without --out-dir the key is printed.",
    )
    keygen.add_argument("alg", metavar="ALG", help="for example RS256, ES256, EdDSA or HS256")
    keygen.add_argument(
        "--size",
        type=int,
        metavar="BITS",
        help="RSA modulus (2048, 3072 or 4096) or HMAC secret size, in bits",
    )
    keygen.add_argument(
        "--format", choices=("pem", "jwk"), default="pem", help="pem (default) or jwk"
    )
    out = keygen.add_mutually_exclusive_group()
    out.add_argument(
        "--out-dir", metavar="DIR", help="write the key files here (private ones mode 0600)"
    )
    _add_output(out)


def _lint_parser(commands: Any) -> None:
    lint = commands.add_parser(
        "lint",
        help="list a token's security findings",
        description="List the token's security findings, most severe first; with --wordlist, "
        "search the file for the HMAC secret.",
    )
    _add_token(lint)
    _add_key(lint, "the key or secret, for the findings about it: text, @FILE, env:NAME or -")
    _add_secret_encoding(lint)
    lint.add_argument("--wordlist", metavar="FILE", help="search this file (one secret per line)")
    _add_fail_on(lint, "high")
    _add_clock(lint)
    _add_output(lint)


def _recover_key_parser(commands: Any) -> None:
    recover = commands.add_parser(
        "recover-key",
        help="recover the RSA public key that signed two tokens",
        description="Recover the RSA public key (exponent 65537 or 3) that signed two RS256, "
        "RS384 or RS512 tokens, as PEM and JWK. It takes up to a minute for a 2048-bit key "
        "and has no time limit here. Exits 0 when the key is recovered.",
    )
    for name, what in (("token", "one token"), ("second_token", "another token of the key")):
        recover.add_argument(name, metavar=name.upper(), help=f"{what}: text, @FILE or env:NAME")
    _add_output(recover)


def _decrypt_parser(commands: Any) -> None:
    decrypt = commands.add_parser(
        "decrypt",
        help="decrypt an encrypted token (JWE) and check what it holds",
        description="Decrypt a compact JWE with the recipient's key, a JWK Set (chosen by kid) "
        "or a secret or password; a nested token is verified with --inner-key. Exits 0 when "
        "it decrypts (and the inner token, times and claims hold), 1 when not.",
    )
    _add_token(decrypt)
    decrypt.add_argument(
        "--key",
        required=True,
        metavar="KEY",
        help="private key, JWK, JWK Set, secret or password: text, @FILE, env:NAME or -",
    )
    decrypt.add_argument(
        "--inner-key", metavar="KEY", help="the key to verify a nested (signed) token with"
    )
    _add_secret_encoding(decrypt)
    decrypt.add_argument("--aud", action="append", metavar="AUD", help="expected audience")
    decrypt.add_argument("--iss", metavar="ISS", help="expected issuer")
    decrypt.add_argument("--sub", metavar="SUB", help="expected subject")
    decrypt.add_argument(
        "--require", action="append", metavar="CLAIM", help="a claim that must be present"
    )
    _add_clock(decrypt)
    _add_output(decrypt)


def _encrypt_parser(commands: Any) -> None:
    encrypt = commands.add_parser(
        "encrypt",
        help="encrypt claims (or a signed token) as a JWE",
        description="Encrypt a JSON payload (or, with --text, any text) to a recipient's key and "
        "print the compact JWE. With --sign-key the payload is signed first and the token "
        "encrypted (a nested JWT, cty JWT).",
    )
    encrypt.add_argument(
        "payload", nargs="?", metavar="PAYLOAD|@FILE|-", help="the payload JSON (default {})"
    )
    encrypt.add_argument(
        "--key",
        required=True,
        metavar="KEY",
        help="recipient's public key, JWK, secret or password: text, @FILE, env:NAME or -",
    )
    _add_secret_encoding(encrypt)
    encrypt.add_argument("--alg", metavar="ALG", help="key management, e.g. RSA-OAEP-256, dir")
    encrypt.add_argument("--enc", metavar="ENC", help="content encryption (default A256GCM)")
    encrypt.add_argument("--header", metavar="JSON|@FILE", help="the protected header")
    encrypt.add_argument("--zip", action="store_true", help='compress first (zip "DEF")')
    encrypt.add_argument("--text", action="store_true", help="encrypt PAYLOAD as text, as is")
    encrypt.add_argument("--sign-key", metavar="KEY", help="sign the payload with this key first")
    encrypt.add_argument("--sign-alg", metavar="ALG", help="the inner token's alg (default HS256)")
    _add_output(encrypt)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _Parser(
        prog="jwt-debugger",
        description="A local JWT debugger: decode, verify and re-sign tokens on your own machine.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    _serve_parser(commands)
    for add in (_decode_parser, _verify_parser, _encode_parser, _keygen_parser, _lint_parser):
        add(commands)
    for add in (_decrypt_parser, _encrypt_parser, _recover_key_parser):
        add(commands)
    from .oauth_parser import add_parser as _oauth_parser

    _oauth_parser(commands)
    from .probe_parser import add_parsers as _probe_parsers

    _probe_parsers(commands)
    return parser


def _now(text: str) -> int | float:
    from ..errors import DebuggerError
    from .inputs import parse_now

    try:
        return parse_now(text)
    except DebuggerError as err:
        raise argparse.ArgumentTypeError(err.message) from err


def _seconds(text: str) -> int | float:
    try:
        value = float(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from err
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError("the leeway must be a finite number, 0 or more")
    return int(value) if value.is_integer() and "." not in text else value


def main(
    argv: list[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> None:
    """Entry point of `python -m debugger` and the `jwt-debugger` script; exits with the code.

    The streams default to the process's own; tests pass their own to run a command in-process.
    """
    with (
        contextlib.redirect_stdout(sys.stdout if stdout is None else stdout),
        contextlib.redirect_stderr(sys.stderr if stderr is None else stderr),
    ):
        sys.exit(_main(list(sys.argv[1:] if argv is None else argv), stdin))


def _main(args_list: list[str], stdin: TextIO | None) -> int:
    first = args_list[0] if args_list else ""
    if first not in (*COMMANDS, "-h", "--help", "--version"):
        if first and not first.startswith("-") and _LOOKS_LIKE_TOKEN.match(first):
            _fail("to read a token, run: jwt-debugger decode TOKEN (or verify, lint)")
        if not first or first.startswith("-"):
            args_list.insert(0, "serve")
    args = build_parser().parse_args(args_list)
    if args.command == "serve" and args.classroom:
        from ..teach.labs import classroom_summary

        print(classroom_summary(), end="")
        return EXIT_OK
    if args.command == "serve":
        from ..web.server import serve

        try:
            return serve(
                args.host,
                args.port,
                open_browser=not args.no_browser,
                verbose=args.verbose,
                labs=args.labs,
            )
        except KeyboardInterrupt:  # Ctrl-C just before or after serving, outside the loop
            print("\nStopped.", flush=True)
            return EXIT_OK
    return run(args, stdin=stdin)


def run(
    args: argparse.Namespace, stdout: TextIO | None = None, *, stdin: TextIO | None = None
) -> int:
    """Run a terminal command: print its answer and return the exit code."""
    from ..errors import DebuggerError
    from .terminal import Style, colour_wanted, safe

    stdout = sys.stdout if stdout is None else stdout
    _tolerant(stdout)
    _tolerant(sys.stderr)
    try:
        from .inputs import Inputs

        outcome = _command(args.command)(args, Inputs(stdin))
        if getattr(args, "json", False):
            stdout.write(dump_json(outcome.answer, pretty=_is_terminal(stdout)))
        else:
            stdout.write(outcome.render(Style(colour_wanted(stdout, os.environ))))
        stdout.flush()
        return int(outcome.exit_code)
    except DebuggerError as err:
        if getattr(args, "json", False):
            stdout.write(dump_json({"error": err.to_dict()}, pretty=_is_terminal(stdout)))
            stdout.flush()
        print(f"jwt-debugger: error [{err.code}]: {safe(err.message)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence(stdout)
        return EXIT_OK
    except OSError as err:  # writing the answer failed: a full disk, a closed terminal
        print(f"jwt-debugger: error: {err.strerror or type(err).__name__}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: one line, never a traceback that could quote a secret
        print(
            f"jwt-debugger: internal error ({type(err).__name__}); please report it",
            file=sys.stderr,
        )
        return EXIT_USAGE


def dump_json(answer: Any, *, pretty: bool) -> str:
    """JSON as the API writes it (Flask's defaults: ASCII, keys in order, compact), plus a
    newline; indented for a person at a terminal."""
    if pretty:
        return json.dumps(answer, ensure_ascii=True, sort_keys=False, indent=2) + "\n"
    return json.dumps(answer, ensure_ascii=True, sort_keys=False, separators=(",", ":")) + "\n"


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _tolerant(stream: TextIO) -> None:
    """Never crash on text the terminal's encoding cannot show: escape it instead."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")


def _silence(stream: TextIO) -> None:
    """The reader went away (`| head`): send what is left to /dev/null, so that flushing the
    stream again at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _fail(message: str) -> NoReturn:
    print(f"jwt-debugger: error: {message}", file=sys.stderr)
    sys.exit(EXIT_USAGE)


def _command(name: str) -> Callable[[argparse.Namespace, Inputs], Outcome]:
    """The function that runs a command, imported only when that command runs."""
    if name in ("decrypt", "encrypt"):
        from . import jwe_commands

        return getattr(jwe_commands, f"{name}_command")  # type: ignore[no-any-return]
    if name == "oauth":
        from .oauth_commands import oauth_command

        return oauth_command
    if name in ("probe", "scan", "extract"):
        from . import probe_commands

        return getattr(probe_commands, f"{name}_command")  # type: ignore[no-any-return]
    from . import commands

    return getattr(commands, name.replace("-", "_"))  # type: ignore[no-any-return]
