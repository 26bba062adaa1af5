"""The catalogue of security findings: each id (from `codes.py`) with severity, title, advice."""

from __future__ import annotations

from ..codes import (
    FINDING_ALG_NONE,
    FINDING_ALG_UNKNOWN,
    FINDING_B64_FALSE,
    FINDING_CLAIM_TYPE,
    FINDING_CRIT_UNKNOWN,
    FINDING_DUPLICATE_JSON_MEMBER,
    FINDING_DUPLICATE_KID,
    FINDING_EMBEDDED_JWK,
    FINDING_EMPTY_SECRET,
    FINDING_EXPIRED,
    FINDING_IAT_FUTURE,
    FINDING_INVISIBLE_CHARACTERS,
    FINDING_JKU_HEADER,
    FINDING_KEY_ALG_MISMATCH,
    FINDING_KEY_CONFUSION,
    FINDING_KID_INJECTION,
    FINDING_KID_NOT_STRING,
    FINDING_LONG_LIFETIME,
    FINDING_MIXED_KEY_SET,
    FINDING_NO_EXP,
    FINDING_NON_CANONICAL_ENCODING,
    FINDING_NOT_A_JWT,
    FINDING_NOT_YET_VALID,
    FINDING_NULL_SIGNATURE,
    FINDING_NUMERICDATE_INVALID,
    FINDING_OVERSIZED,
    FINDING_PSYCHIC_SIGNATURE,
    FINDING_ROCA_KEY,
    FINDING_SENSITIVE_DATA,
    FINDING_SHORT_SECRET,
    FINDING_SIGNATURE_LENGTH,
    FINDING_WEAK_RSA_KEY,
    FINDING_WEAK_SECRET,
    FINDING_X5C_HEADER,
    FINDING_X5U_HEADER,
)

#: Every finding: id -> (severity, title, what to do instead). The ids are a stable contract.
CATALOG: dict[str, tuple[str, str, str]] = {
    FINDING_ALG_NONE: (
        "critical",
        "Unsigned token (alg none)",
        "Anyone can write any claims into an unsigned token, and libraries that accepted "
        '"none", or a casing of it their block-list missed, let attackers forge any identity. '
        "Verifiers must reject it: pin the expected algorithms on the verifying side (an "
        'allow-list such as ["RS256"]) and never take the algorithm from the header.',
    ),
    FINDING_ALG_UNKNOWN: (
        "medium",
        "Unknown algorithm",
        "A verifier must reject it. A lenient one may normalise the name or fall back to a "
        "default, which is how algorithm-confusion bugs start. Issue tokens with a registered "
        "JWS algorithm (RFC 7518), spelled exactly, and pin it on the verifying side.",
    ),
    FINDING_NULL_SIGNATURE: (
        "critical",
        "Empty signature",
        "Some libraries have accepted a token with an empty signature as valid (CVE-2020-28042 "
        "in ServiceStack). A verifier must require a signature of the right length before "
        "comparing; if your issuer produced this token, it failed to sign it.",
    ),
    FINDING_SIGNATURE_LENGTH: (
        "medium",
        "Signature of the wrong length",
        "A correct verifier rejects it; one that compares only a prefix or accepts truncated "
        "MACs can be forged byte by byte. Check that the issuer writes the raw signature (for "
        "ECDSA the fixed-length r and s, RFC 7518 section 3.4, not DER) and that nothing "
        "truncated the token on the way.",
    ),
    FINDING_PSYCHIC_SIGNATURE: (
        "critical",
        "Psychic ECDSA signature (r or s is zero)",
        "No valid ECDSA signature has r = 0 or s = 0, yet Java 15 to 18 accepted such "
        "signatures for any message and any key (CVE-2022-21449). Treat this token as an attack. "
        "Verifiers must check 0 < r, s < n: keep the runtime and JWT library up to date.",
    ),
    FINDING_EMBEDDED_JWK: (
        "high",
        "Key embedded in the header (jwk)",
        "A verifier that uses this key checks the token with a key the sender chose, so anyone "
        "can sign anything (CVE-2018-0114 in node-jose). Verify only with keys you configured, "
        "matched by kid; ignore an embedded jwk unless it is pinned.",
    ),
    FINDING_JKU_HEADER: (
        "high",
        "Key set URL in the header (jku)",
        "A verifier that follows it fetches the sender's keys, so anyone can sign anything, and "
        "it can be made to request internal URLs (SSRF). Verify with keys from your own "
        "configuration; if jku must be used, allow only exact, known URLs (RFC 8725 section "
        "3.10). This debugger never fetches it.",
    ),
    FINDING_X5U_HEADER: (
        "high",
        "Certificate URL in the header (x5u)",
        "A verifier that follows it fetches a certificate the sender chose, and can be made to "
        "request internal URLs (SSRF). Verify with certificates from your own configuration, or "
        "allow only exact, known URLs and validate the chain. This debugger never fetches it.",
    ),
    FINDING_X5C_HEADER: (
        "medium",
        "Certificate chain in the header (x5c)",
        "A key carried inside the token proves nothing by itself: anyone can make a self-signed "
        "certificate. A verifier must validate the chain up to a root it trusts and check the "
        "subject before using the leaf's key; otherwise verify with your configured key.",
    ),
    FINDING_KID_INJECTION: (
        "high",
        "Suspicious key id (kid)",
        "Verifiers that use kid to build a file path, a database query or a shell command can be "
        "made to load a key the attacker knows (the empty contents of /dev/null, for example) or "
        "to run injected code (RFC 8725 section 3.10). Treat kid as an opaque name: look it up "
        "in a fixed set of known key ids and reject anything else.",
    ),
    FINDING_CRIT_UNKNOWN: (
        "medium",
        "Unknown critical header parameter",
        "RFC 7515 section 4.1.11 requires a verifier that does not understand a parameter "
        "listed in crit to reject the token; one that ignores crit may miss a restriction the "
        "issuer meant to impose. Only mark as critical the extensions every verifier implements.",
    ),
    FINDING_B64_FALSE: (
        "medium",
        "Unencoded payload (b64 false)",
        "With b64 false (RFC 7797) the payload is signed as raw text. Verifiers that do not "
        "implement RFC 7797 read the payload differently from the signer and may accept a "
        'different message. Use it only between parties that both support it, with "b64" '
        "listed in crit.",
    ),
    FINDING_NO_EXP: (
        "medium",
        "No expiry (exp)",
        "A token without exp never expires: a copy that leaks through a log, a browser or a "
        "proxy works for ever unless the signing key is changed. Issue tokens with a short exp "
        "(minutes for access tokens) and renew them.",
    ),
    FINDING_EXPIRED: (
        "low",
        "Expired token",
        "A verifier must reject it (a leeway of a minute or two for clock skew is normal). If "
        "your service still accepts it, its exp check is missing or its leeway is far too large.",
    ),
    FINDING_NOT_YET_VALID: (
        "low",
        "Token not valid yet (nbf)",
        "A verifier must reject it until then. If the times look wrong, the issuer's clock may "
        "be ahead: keep clocks in sync (NTP) rather than raising the leeway.",
    ),
    FINDING_IAT_FUTURE: (
        "low",
        "Issued in the future (iat)",
        "The token claims it was issued later than now, which usually means the issuer's clock "
        "is ahead of this machine's. Some verifiers reject such tokens; keep clocks in sync.",
    ),
    FINDING_LONG_LIFETIME: (
        "medium",
        "Long lifetime",
        "A bearer token that leaks stays usable for all that time, and a JWT cannot be revoked "
        "without extra machinery. Keep access tokens to minutes or hours and use refresh tokens "
        "for long sessions.",
    ),
    FINDING_NUMERICDATE_INVALID: (
        "medium",
        "Time claim that is not a NumericDate",
        "RFC 7519 times are numbers of seconds since 1970 (fractions are allowed). Libraries "
        "disagree about strings, overflowing numbers, negative values and milliseconds: some "
        "reject the token, some ignore the claim (so the token never expires), some read "
        "another time. Issue whole seconds.",
    ),
    FINDING_CLAIM_TYPE: (
        "medium",
        "Claim of the wrong type",
        "Libraries compare claims of the wrong type inconsistently: a numeric sub can match "
        "another user, an aud object can skip the audience check. Issue iss, sub and jti as "
        "strings and aud as a string or a list of strings (RFC 7519 section 4.1).",
    ),
    FINDING_NON_CANONICAL_ENCODING: (
        "medium",
        "Non-canonical base64url",
        "Several texts decode to the same bytes, so the token is malleable: a changed token "
        "keeps a valid signature and can slip past replay caches or block-lists keyed on the "
        "token text, and strict libraries reject it. Encode every part as unpadded base64url "
        "(RFC 7515 section 2).",
    ),
    FINDING_SENSITIVE_DATA: (
        "high",
        "Sensitive data in the payload",
        "A signed token is only encoded, not encrypted: anyone who sees it (logs, browser "
        "storage, proxies, this page) can read every claim. Keep secrets out of tokens; put a "
        "reference in the token and the data on the server, or use an encrypted JWE.",
    ),
    FINDING_DUPLICATE_JSON_MEMBER: (
        "high",
        "Duplicate JSON member",
        "JSON parsers disagree on which copy wins (the first, the last, or an error), so the "
        "signer, the verifier and the application can each see different claims: a way to "
        "smuggle an alg or a role past a check. Emit each member once; verifiers should reject "
        "duplicates (RFC 7515 section 5.2, RFC 8259 section 4).",
    ),
    FINDING_INVISIBLE_CHARACTERS: (
        "medium",
        "Invisible or bidirectional characters",
        "These characters display as nothing or reverse the text around them, so what a person "
        'reads is not what the token says: "\\u202enimda\\u202c" shows as "admin" but is not '
        '"admin". A reviewer, a log viewer or an admin screen can be fooled, and a check that '
        "compares the real text disagrees with what people see (the Trojan Source attacks, "
        "CVE-2021-42574). Issuers should reject control, zero-width and bidirectional characters "
        "in names and identifiers; compare identifiers exactly, never as they are displayed.",
    ),
    FINDING_OVERSIZED: (
        "low",
        "Very large token",
        "Cookies hold about 4 KiB and many servers and proxies limit request headers to about "
        "8 KiB, so a token this large may be dropped or cut off, and parsing large tokens is a "
        "denial-of-service surface. Keep tokens small: carry a reference, not the data.",
    ),
    FINDING_WEAK_SECRET: (
        "critical",
        "Well-known weak secret",
        "Secrets from documentation, tutorials and sample code are the first ones cracking "
        "tools try, so anyone can forge tokens with it. Generate a random secret at least as "
        "long as the hash output (for example 64 random bytes), rotate it, and treat every "
        "token signed with the old one as compromised.",
    ),
    FINDING_EMPTY_SECRET: (
        "critical",
        "Empty secret",
        "With an empty HMAC key anyone can sign tokens; it often comes from a secret that was "
        "never configured (an unset environment variable). Refuse to start without a secret "
        "and use a random one at least as long as the hash output.",
    ),
    FINDING_SHORT_SECRET: (
        "high",
        "Secret shorter than the hash output",
        "RFC 7518 section 3.2 requires an HMAC key at least as long as the hash output. A short "
        "secret, especially one a person chose, can be brute-forced offline from a single "
        "token. Use random bytes: 32 for HS256, 48 for HS384, 64 for HS512.",
    ),
    FINDING_KEY_CONFUSION: (
        "critical",
        "Key confusion: signed with the public key as HMAC secret",
        "Whoever made this token used the public key's bytes as an HMAC secret: the RS/HS "
        "key-confusion attack (CVE-2016-10555, CVE-2022-29217). A verifier that lets the header "
        "choose the algorithm accepts it. Tie the algorithm to the key on the verifying side "
        "and never hand a public key to an HMAC verifier.",
    ),
    FINDING_WEAK_RSA_KEY: (
        "high",
        "RSA key under 2048 bits",
        "RSA keys under 2048 bits are below current guidance and small ones have been factored "
        "cheaply; whoever factors the key can sign tokens. Use RSA with 2048 bits or more, or "
        "ES256 or EdDSA.",
    ),
    FINDING_KEY_ALG_MISMATCH: (
        "medium",
        "Key does not fit the algorithm",
        "A verifier that lets the header pick the algorithm for a key is open to algorithm "
        "confusion; a careful one rejects the token. Use a key that matches the token's alg "
        "(and JWK alg, use and key_ops that allow it), or issue tokens with the key's algorithm.",
    ),
    FINDING_KID_NOT_STRING: (
        "high",
        "kid is not a string",
        "RFC 7515 section 4.1.4 makes kid a string, and PyJWT, joserfc and jwcrypto refuse a "
        "token whose kid is a number, a list or an object. A verifier that looks the kid up "
        "without checking its type may match the wrong key or fail in unexpected ways. Issue "
        "tokens whose kid is a string.",
    ),
    FINDING_DUPLICATE_KID: (
        "medium",
        "Duplicate kid in the key set",
        "Several keys of one set share a kid, so a verifier that picks the first match may "
        "use another key than the issuer meant, and key rotation becomes ambiguous. Give every "
        "key of a set its own kid (the RFC 7638 thumbprint is a good choice).",
    ),
    FINDING_MIXED_KEY_SET: (
        "high",
        "Key set mixes secrets and public keys",
        "One kid space holds both HMAC secrets and public keys. A verifier that picks the key "
        "by kid and the algorithm from the header can be made to use a public key as an HMAC "
        "secret (key confusion), or to publish a secret next to public keys. Keep HMAC "
        "secrets out of published key sets, and pin the algorithm for each key.",
    ),
    FINDING_ROCA_KEY: (
        "critical",
        "RSA key vulnerable to ROCA (CVE-2017-15361)",
        "The modulus has the fingerprint of keys made by Infineon's RSALib (smart cards, TPMs, "
        "YubiKey 4 before firmware 4.3.5): its private key can be computed from the public "
        "key. Generate a new key on unaffected hardware or software and revoke this one.",
    ),
    FINDING_NOT_A_JWT: (
        "info",
        "Not a JWT",
        "The payload is not a JSON object, so the token is a JWS but not a JWT (RFC 7519 "
        "section 7.2): JWT libraries refuse it. This is right only for JWS of other content.",
    ),
}
