"""Outbound HTTP with limits: key sets and discovery documents, only when the user asks.

The names below are this layer's public surface; everything else in these modules may change.
"""

from .jwks import FetchLimits, discovery_urls, fetch_jwks

__all__ = ["FetchLimits", "discovery_urls", "fetch_jwks"]
