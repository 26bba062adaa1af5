"""The command line: `python -m debugger` (or `jwt-debugger`) starts the page."""

from __future__ import annotations

import argparse
import sys

from . import __version__

COMMANDS = ("serve",)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="jwt-debugger",
        description="A local JWT debugger: decode, verify and re-sign tokens on your own machine.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
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
        "--verbose", action="store_true", help="log each request (method, path and status only)"
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    """Entry point of `python -m debugger` and the `jwt-debugger` script."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in (*COMMANDS, "-h", "--help", "--version"):
        args_list.insert(0, "serve")
    args = build_parser().parse_args(args_list)
    from .server import serve

    sys.exit(serve(args.host, args.port, open_browser=not args.no_browser, verbose=args.verbose))
