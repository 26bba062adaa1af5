"""The command-line interface: parser, commands, input readers and terminal output."""

from .parser import main

__all__ = ["main"]
