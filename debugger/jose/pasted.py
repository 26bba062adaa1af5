"""A pasted token, whatever its serialization: compact (JWS or JWE) or JSON (RFC 7515 section 7.2).

Each serialization is read by the module that knows it: `tokens` for the compact one, `jsonser`
for the JSON one, which builds on `tokens`.
"""

from __future__ import annotations

from .jsonser import parse_json
from .tokens import ParsedToken, clean, parse_compact


def parse(pasted: str) -> ParsedToken:
    """Clean, split and decode a token of any serialization; never raises for bad input."""
    text, notes = clean(pasted)
    if text.startswith("{"):
        return parse_json(text, tuple(notes))
    return parse_compact(text, notes)
