"""A local JWT debugger: decode, verify and re-sign tokens on your own machine."""

__version__ = "0.1.0"
