"""Tokens, keys, JWK, certificates, signing, verification, times and claims: no web, no network."""
