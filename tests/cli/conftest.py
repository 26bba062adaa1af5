"""Run the command line in-process: `main(argv, stdin=..., stdout=..., stderr=...)`.

Starting Python for every case costs half a second; these helpers give the same exit code,
standard output and standard error without it. A few tests still start the real process, for
what only a process shows: exit codes at the operating-system level, real terminals and pipes,
what gets imported, and the installed console script.
"""

from __future__ import annotations

import contextlib
import io
import os
from typing import NamedTuple
from unittest import mock

from debugger.cli.parser import main

from ..conftest import ROOT


class Result(NamedTuple):
    """What a command did: its exit code and everything it wrote."""

    returncode: int
    stdout: str
    stderr: str


class Stream(io.StringIO):
    """A text stream that can claim to be a terminal, as a pseudo-terminal does."""

    def __init__(self, text: str = "", *, terminal: bool = False) -> None:
        super().__init__(text)
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def cli(
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    terminal: bool = False,
    stdin_terminal: bool = False,
) -> Result:
    """Run `python -m debugger ARGS` in-process with `stdin` piped in and help 80 columns wide.

    `terminal` makes standard output a terminal (for colour and indented JSON), with TERM set
    as a terminal would; `stdin_terminal` makes standard input one (nothing piped in).
    """
    environment = {"COLUMNS": "80", **({"TERM": "xterm"} if terminal else {}), **(env or {})}
    stdout, stderr = Stream(terminal=terminal), Stream()
    with mock.patch.dict(os.environ, environment), contextlib.chdir(ROOT):
        if "NO_COLOR" not in environment:
            os.environ.pop("NO_COLOR", None)
        try:
            main(
                list(args),
                stdin=Stream(stdin, terminal=stdin_terminal),
                stdout=stdout,
                stderr=stderr,
            )
        except SystemExit as exited:
            code = 0 if exited.code is None else exited.code
        else:
            raise AssertionError("main() returned instead of exiting with a code")
    assert isinstance(code, int), code
    return Result(code, stdout.getvalue(), stderr.getvalue())
