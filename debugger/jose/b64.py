"""base64url without padding (RFC 7515 section 2), the encoding of every JOSE part."""

from __future__ import annotations

import base64


def b64url(data: bytes) -> str:
    """base64url of `data` without `=` padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
