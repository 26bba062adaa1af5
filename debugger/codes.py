"""Every stable code the debugger reports besides error codes, family by family.

Error codes (`{"error": {"code"}}`) are in `errors.py`. The codes here appear in answers: a
verdict's `reason.code`, a hint's, a claim check's, a token problem's or note's, a time problem's,
a key warning's, and the id of a security finding. They are a public contract: a code is added,
never renamed or removed. Several families share a code where they name the same thing.
"""

from __future__ import annotations

from .errors import BAD_KEY, KEY_TYPE_MISMATCH

# Why a signature is not valid: a verdict's `reason.code` (`BAD_KEY` and `KEY_TYPE_MISMATCH`, in
# errors.py, are reasons as well).

#: The signature does not match the key or secret given.
SIGNATURE_MISMATCH = "signature_mismatch"
#: The token's algorithm is unknown, or not among the algorithms the user allows.
ALG_NOT_ALLOWED = "alg_not_allowed"
#: The token's kid names no key of the key set.
KID_NOT_FOUND = "kid_not_found"
#: The token says `alg: none` (in any casing): it is not signed, so it never verifies.
UNSECURED_TOKEN = "unsecured_token"
#: An HMAC token checked against a public key: the key-confusion attack.
KEY_CONFUSION = "key_confusion"
#: The token cannot be read far enough to check its signature.
MALFORMED_TOKEN = "malformed_token"
#: The payload is detached and was not supplied.
DETACHED_PAYLOAD_REQUIRED = "detached_payload_required"
#: The header lists in `crit` a parameter the debugger does not implement, or `crit` is malformed.
CRIT_UNSUPPORTED = "crit_unsupported"
#: The header says `b64: false` without listing "b64" in `crit` (RFC 7797 section 6).
B64_NOT_CRITICAL = "b64_not_critical"
#: The header's `kid` is not a string (RFC 7515 section 4.1.4).
KID_NOT_STRING = "kid_not_string"
#: An RSA-PSS signature that holds only with a salt length other than the hash length.
PSS_SALT_LENGTH = "pss_salt_length"
#: The signature is not of the length the algorithm and key produce.
SIGNATURE_LENGTH = "signature_length"
#: An ECDSA signature in DER (ASN.1) form, where JWS uses the raw R ‖ S form.
ECDSA_DER_SIGNATURE = "ecdsa_der_signature"

REASON_CODES = (
    SIGNATURE_MISMATCH,
    KEY_TYPE_MISMATCH,
    ALG_NOT_ALLOWED,
    KID_NOT_FOUND,
    UNSECURED_TOKEN,
    KEY_CONFUSION,
    MALFORMED_TOKEN,
    BAD_KEY,
    DETACHED_PAYLOAD_REQUIRED,
    CRIT_UNSUPPORTED,
    B64_NOT_CRITICAL,
    KID_NOT_STRING,
    PSS_SALT_LENGTH,
    SIGNATURE_LENGTH,
    ECDSA_DER_SIGNATURE,
)

# What the debugger changed in the pasted text before reading it: a token's `notes[].code`, and
# hints of the same name.

#: A leading `Bearer ` (or `Authorization: Bearer `) was removed.
BEARER_PREFIX_REMOVED = "bearer_prefix_removed"
#: Spaces or line breaks inside the token were removed.
TOKEN_WHITESPACE_REMOVED = "token_whitespace_removed"
#: The quotes around the token were removed.
QUOTES_REMOVED = "quotes_removed"

NOTE_CODES = (BEARER_PREFIX_REMOVED, TOKEN_WHITESPACE_REMOVED, QUOTES_REMOVED)

# Notes of a verify answer: `notes[].code`.

#: A detached payload verified only when read as already base64url-encoded.
DETACHED_PAYLOAD_ENCODED = "detached_payload_encoded"
#: The signature was checked with a key carried in the token's own header (`jwk` or `x5c`).
EMBEDDED_KEY_USED = "embedded_key_used"
#: A JWS in JSON serialization: which of its signatures verified (`signatures[].verified`).
JSON_SIGNATURE_VERIFIED = "json_signature_verified"

VERIFY_NOTE_CODES = (DETACHED_PAYLOAD_ENCODED, EMBEDDED_KEY_USED, JSON_SIGNATURE_VERIFIED)

# Likely mistakes, each undone and checked again: `hints[].code`.

#: The secret verifies once base64- or base64url-decoded (or only as plain text).
SECRET_BASE64 = "secret_base64"
#: The secret verifies once hex-decoded (or only as plain text).
SECRET_HEX = "secret_hex"
#: The secret verifies only without (or only with) surrounding white space or a line ending.
SECRET_WHITESPACE = "secret_whitespace"
#: Another key of the set verifies the token than the one its kid names.
WRONG_KEY_IN_SET = "wrong_key_in_set"
#: A PEM body without its BEGIN/END lines was read as an HMAC secret.
PUBLIC_KEY_NEEDS_HEADER = "public_key_needs_header"
#: A private key was given where the public key is enough.
PRIVATE_KEY_GIVEN = "private_key_given"
#: A time claim failed by less than `hints.CLOCK_SKEW_SECONDS`: the clocks may disagree.
CLOCK_SKEW = "clock_skew"

HINT_CODES = (
    SECRET_BASE64,
    SECRET_HEX,
    SECRET_WHITESPACE,
    WRONG_KEY_IN_SET,
    PUBLIC_KEY_NEEDS_HEADER,
    PRIVATE_KEY_GIVEN,
    BEARER_PREFIX_REMOVED,
    TOKEN_WHITESPACE_REMOVED,
    QUOTES_REMOVED,
    CLOCK_SKEW,
)

# Claim checks the user asked for: `claims[].code` of a failed check.

#: No expected audience is in `aud` (or `aud` is not a string or a list of strings).
AUD_MISMATCH = "aud_mismatch"
#: `iss` is not the expected issuer.
ISS_MISMATCH = "iss_mismatch"
#: `sub` is not the expected subject.
SUB_MISMATCH = "sub_mismatch"
#: A claim that is expected or required is absent.
MISSING_CLAIM = "missing_claim"

CLAIM_CODES = (AUD_MISMATCH, ISS_MISMATCH, SUB_MISMATCH, MISSING_CLAIM)

# What is wrong with a part of the token: `problems[].code` of a decoded token.

#: Nothing was pasted.
EMPTY_TOKEN = "empty_token"
#: Five parts: an encrypted token (JWE), whose payload cannot be read.
JWE_TOKEN = "jwe_token"
#: Not three parts separated by dots.
WRONG_PART_COUNT = "wrong_part_count"
#: A part ends with `=` padding, which JWS base64url leaves out (a warning).
BASE64_PADDING = "base64_padding"
#: A part uses `+` or `/` of standard base64 (a warning: it was read anyway).
BASE64_NOT_URL = "base64_not_url"
#: A part is not base64url at all.
BAD_BASE64URL = "bad_base64url"
#: A part's last character has bits set that base64url ignores (a warning).
BASE64_TRAILING_BITS = "base64_trailing_bits"
#: The header part is empty.
EMPTY_PART = "empty_part"
#: The header (error) or payload (warning) is JSON but not an object; also a key-set entry.
NOT_OBJECT = "not_object"
#: The header has no `alg` string (a warning).
MISSING_ALG = "missing_alg"
#: A part decodes to bytes that are not UTF-8 text.
NOT_UTF8 = "not_utf8"
#: A part is not JSON (an error for the header, a warning for the payload).
NOT_JSON = "not_json"
#: The payload part is empty: the content is detached (a warning).
DETACHED_PAYLOAD = "detached_payload"
#: The payload is binary data, not text (a warning).
BINARY_PAYLOAD = "binary_payload"
#: A JWS or JWE in JSON serialization (RFC 7515/7516 section 7.2) lacks a member or has one of
#: the wrong type, or names a header parameter in both the protected and the unprotected header.
BAD_JSON_SERIALIZATION = "bad_json_serialization"

PROBLEM_CODES = (
    EMPTY_TOKEN,
    JWE_TOKEN,
    WRONG_PART_COUNT,
    BASE64_PADDING,
    BASE64_NOT_URL,
    BAD_BASE64URL,
    BASE64_TRAILING_BITS,
    EMPTY_PART,
    NOT_OBJECT,
    MISSING_ALG,
    NOT_UTF8,
    NOT_JSON,
    DETACHED_PAYLOAD,
    BINARY_PAYLOAD,
    BAD_JSON_SERIALIZATION,
)

# Problems with the time claims: `time.problems[].code`.

#: `exp`, `nbf` or `iat` is not a usable NumericDate.
INVALID_NUMERICDATE = "invalid_numericdate"
#: `exp` has passed (beyond the leeway).
EXPIRED = "expired"
#: `nbf` is still ahead (beyond the leeway).
NOT_YET_VALID = "not_yet_valid"
#: `iat` is in the future (beyond the leeway).
IAT_FUTURE = "iat_future"
#: A time claim looks like milliseconds, not seconds.
MILLISECONDS = "milliseconds"

TIME_PROBLEM_CODES = (INVALID_NUMERICDATE, EXPIRED, NOT_YET_VALID, IAT_FUTURE, MILLISECONDS)

# Warnings about a key: `warnings[].code` of a key summary.

#: An RSA key under `keyinfo.MIN_RSA_BITS` bits (the finding `weak-rsa-key`).
WEAK_RSA_KEY = "weak_rsa_key"
#: An HMAC secret shorter than its hash output (the finding `short-secret`).
SHORT_HMAC_SECRET = "short_hmac_secret"
#: The key's certificate has expired.
CERTIFICATE_EXPIRED = "certificate_expired"
#: The key's certificate is not valid yet.
CERTIFICATE_NOT_YET_VALID = "certificate_not_yet_valid"

#: An EC JWK coordinate shorter than the curve size (RFC 7518 section 6.2.1.2), read anyway.
EC_COORDINATE_SHORT = "ec_coordinate_short"
#: A PEM key written with literal `\\n` escapes (from a .env file or a JSON string), read anyway.
PEM_ESCAPED_NEWLINES = "pem_escaped_newlines"
#: A PEM with several certificates: which one was used.
PEM_BUNDLE = "pem_bundle"
#: A JWK whose `x5c` certificate holds another key than its own members (RFC 7517 section 4.7).
X5C_KEY_MISMATCH = "x5c_key_mismatch"
#: An RSA modulus with the ROCA fingerprint (CVE-2017-15361): its private key can be found.
ROCA_KEY = "roca_key"
#: An SSH public key in the RFC 4716 form, read as a key.
SSH_KEY_FORM = "ssh_key_form"
#: A bare base64 key body (no BEGIN/END lines, no SSH type), read as a key, not a secret.
KEY_BODY_READ = "key_body_read"

KEY_WARNING_CODES = (
    WEAK_RSA_KEY,
    SHORT_HMAC_SECRET,
    CERTIFICATE_EXPIRED,
    CERTIFICATE_NOT_YET_VALID,
    EC_COORDINATE_SHORT,
    PEM_ESCAPED_NEWLINES,
    PEM_BUNDLE,
    X5C_KEY_MISMATCH,
    ROCA_KEY,
    SSH_KEY_FORM,
    KEY_BODY_READ,
)

# Why an entry of a JWK Set cannot be used: `key_set.entries[].code` (`NOT_OBJECT` too).

#: The entry's `kty` is not oct, RSA, EC or OKP.
UNKNOWN_KTY = "unknown_kty"
#: The entry has a known `kty` but cannot be read as a key.
UNREADABLE = "unreadable"
#: The entry is an RSA key over the size the debugger reads (16384 bits public, 8192 private).
ENTRY_TOO_LARGE = "too_large"
#: The entry is a private key past the request's budget for checking private keys.
ENTRY_SKIPPED = "skipped"

KEY_SET_ENTRY_CODES = (NOT_OBJECT, UNKNOWN_KTY, UNREADABLE, ENTRY_TOO_LARGE, ENTRY_SKIPPED)

# Warnings of a key-set fetch: `warnings[].code`.

#: The fetched JWK Set holds no keys.
EMPTY_KEY_SET = "empty_key_set"
#: The discovery document names another issuer than the one asked for.
ISSUER_MISMATCH = "issuer_mismatch"
#: The discovery document's `jwks_uri` is on another host than the issuer.
JWKS_URI_OTHER_HOST = "jwks_uri_other_host"
#: The metadata's issuer is a template such as `https://login.microsoftonline.com/{tenantid}/v2.0`
#: (a multi-tenant endpoint): each token's `iss` carries its tenant's id in place of `{tenantid}`.
ISSUER_TEMPLATE = "issuer_template"

FETCH_WARNING_CODES = (EMPTY_KEY_SET, ISSUER_MISMATCH, JWKS_URI_OTHER_HOST, ISSUER_TEMPLATE)

# Why the demo protected API refused a token, beyond `REASON_CODES` and the time statuses
# `expired`, `not_yet_valid` and `invalid`: `error.reason`.

#: No Authorization header was sent.
MISSING_AUTHORIZATION = "missing_authorization"
#: The Authorization header is not `Bearer <token>`.
NOT_BEARER = "not_bearer"
#: The payload is not a JSON object of claims.
NOT_CLAIMS = "not_claims"
#: RFC 6750's error for a token that was refused (also the reason when no other applies).
INVALID_TOKEN = "invalid_token"

DEMO_REASON_CODES = (MISSING_AUTHORIZATION, NOT_BEARER, NOT_CLAIMS, INVALID_TOKEN)

# Mistakes often made when writing JWT code in Python: `code.mistakes[].code` of an explanation.

#: The package is PyJWT but the module is `jwt`.
MODULE_NAME = "module_name"
#: PyJWT has no `JWT().create_signing_key()`.
CREATE_SIGNING_KEY = "create_signing_key"
#: An expiry computed but never put in the payload.
EXP_NOT_IN_PAYLOAD = "exp_not_in_payload"
#: `datetime.utcnow()` is deprecated and naive.
UTCNOW_DEPRECATED = "utcnow_deprecated"
#: flask-jwt-extended 4 needs `@jwt_required()` with parentheses.
JWT_REQUIRED_PARENTHESES = "jwt_required_parentheses"
#: `jwt.decode()` needs `algorithms=[...]` from the verifier's own configuration.
ALGORITHMS_FROM_KEY = "algorithms_from_key"

MISTAKE_CODES = (
    MODULE_NAME,
    CREATE_SIGNING_KEY,
    EXP_NOT_IN_PAYLOAD,
    UTCNOW_DEPRECATED,
    JWT_REQUIRED_PARENTHESES,
    ALGORITHMS_FROM_KEY,
)

# Security findings: `findings[].id`. Their severity, title and advice are in
# `analysis/finding_catalog.py`.

#: The token is unsigned (`alg: none` in any casing).
FINDING_ALG_NONE = "alg-none"
#: The header's alg is missing or not a JWS algorithm.
FINDING_ALG_UNKNOWN = "alg-unknown"
#: The signature part is empty.
FINDING_NULL_SIGNATURE = "null-signature"
#: The signature is not of the algorithm's length.
FINDING_SIGNATURE_LENGTH = "signature-length"
#: An ECDSA signature with r = 0 or s = 0 (CVE-2022-21449).
FINDING_PSYCHIC_SIGNATURE = "psychic-signature"
#: The header carries its own key in `jwk`.
FINDING_EMBEDDED_JWK = "embedded-jwk"
#: The header names a key-set URL in `jku`.
FINDING_JKU_HEADER = "jku-header"
#: The header names a certificate URL in `x5u`.
FINDING_X5U_HEADER = "x5u-header"
#: The header carries a certificate chain in `x5c`.
FINDING_X5C_HEADER = "x5c-header"
#: The kid looks like a path, a query or a command.
FINDING_KID_INJECTION = "kid-injection"
#: `crit` lists a parameter the debugger does not implement, or is malformed.
FINDING_CRIT_UNKNOWN = "crit-unknown"
#: The header says `b64: false` (RFC 7797).
FINDING_B64_FALSE = "b64-false"
#: The payload has no `exp`.
FINDING_NO_EXP = "no-exp"
#: The token has expired.
FINDING_EXPIRED = "expired"
#: The token is not valid yet.
FINDING_NOT_YET_VALID = "not-yet-valid"
#: The token was issued in the future.
FINDING_IAT_FUTURE = "iat-future"
#: The token is valid for more than a day.
FINDING_LONG_LIFETIME = "long-lifetime"
#: A time claim is not a usable NumericDate (a number of seconds; fractions are allowed).
FINDING_NUMERICDATE_INVALID = "numericdate-invalid"
#: `iss`, `sub`, `jti` or `aud` is of the wrong JSON type.
FINDING_CLAIM_TYPE = "claim-type"
#: A part is not canonical unpadded base64url.
FINDING_NON_CANONICAL_ENCODING = "non-canonical-encoding"
#: The payload holds what looks like a secret, a private key or a card number.
FINDING_SENSITIVE_DATA = "sensitive-data"
#: The header or the payload has a member more than once.
FINDING_DUPLICATE_JSON_MEMBER = "duplicate-json-member"
#: A name or value holds invisible or bidirectional characters.
FINDING_INVISIBLE_CHARACTERS = "invisible-characters"
#: The token is larger than cookies and headers commonly hold.
FINDING_OVERSIZED = "oversized"
#: The HMAC verifies with a well-known weak secret.
FINDING_WEAK_SECRET = "weak-secret"
#: The HMAC verifies with the empty secret, or the secret given is empty.
FINDING_EMPTY_SECRET = "empty-secret"
#: The secret given is shorter than the hash output (the key warning `short_hmac_secret`).
FINDING_SHORT_SECRET = "short-secret"
#: The HMAC verifies with the public key's bytes as the secret.
FINDING_KEY_CONFUSION = "key-confusion"
#: The RSA key is under 2048 bits (the key warning `weak_rsa_key`).
FINDING_WEAK_RSA_KEY = "weak-rsa-key"
#: No key given fits the token's algorithm.
FINDING_KEY_ALG_MISMATCH = "key-alg-mismatch"
#: The header's `kid` is not a string.
FINDING_KID_NOT_STRING = "kid-not-string"
#: A key set has several keys with the same `kid`.
FINDING_DUPLICATE_KID = "duplicate-kid"
#: A key set mixes HMAC secrets and public keys in one `kid` space.
FINDING_MIXED_KEY_SET = "mixed-key-set"
#: An RSA modulus with the ROCA fingerprint (CVE-2017-15361).
FINDING_ROCA_KEY = "roca-key"
#: A token made with `jws_payload` whose payload is not a JSON object: not a JWT.
FINDING_NOT_A_JWT = "not-a-jwt"

FINDING_IDS = (
    FINDING_ALG_NONE,
    FINDING_ALG_UNKNOWN,
    FINDING_NULL_SIGNATURE,
    FINDING_SIGNATURE_LENGTH,
    FINDING_PSYCHIC_SIGNATURE,
    FINDING_EMBEDDED_JWK,
    FINDING_JKU_HEADER,
    FINDING_X5U_HEADER,
    FINDING_X5C_HEADER,
    FINDING_KID_INJECTION,
    FINDING_CRIT_UNKNOWN,
    FINDING_B64_FALSE,
    FINDING_NO_EXP,
    FINDING_EXPIRED,
    FINDING_NOT_YET_VALID,
    FINDING_IAT_FUTURE,
    FINDING_LONG_LIFETIME,
    FINDING_NUMERICDATE_INVALID,
    FINDING_CLAIM_TYPE,
    FINDING_NON_CANONICAL_ENCODING,
    FINDING_SENSITIVE_DATA,
    FINDING_DUPLICATE_JSON_MEMBER,
    FINDING_INVISIBLE_CHARACTERS,
    FINDING_OVERSIZED,
    FINDING_WEAK_SECRET,
    FINDING_EMPTY_SECRET,
    FINDING_SHORT_SECRET,
    FINDING_KEY_CONFUSION,
    FINDING_WEAK_RSA_KEY,
    FINDING_KEY_ALG_MISMATCH,
    FINDING_KID_NOT_STRING,
    FINDING_DUPLICATE_KID,
    FINDING_MIXED_KEY_SET,
    FINDING_ROCA_KEY,
    FINDING_NOT_A_JWT,
)

#: The severities of findings, most severe first: the order findings are listed in.
SEVERITIES = ("critical", "high", "medium", "low", "info")

#: Every family of codes above, by name: each code an answer can carry is in one of them.
# Why a JWE could not be decrypted: `reason_code` of a decrypt answer (a 200, not an error).
#: The token is not a compact JWE: not five parts, a part is not base64url, or the header is
#: not a JSON object.
JWE_MALFORMED = "malformed_token"
#: The protected header lacks `alg` or `enc`, or a parameter the algorithm needs is missing or
#: of the wrong type (`epk`, `iv`, `tag`, `p2s`, `p2c`).
JWE_BAD_HEADER = "bad_header"
#: The header's `alg` is not a key-management algorithm of RFC 7518.
JWE_UNKNOWN_ALG = "unknown_alg"
#: The header's `enc` is not a content-encryption algorithm of RFC 7518.
JWE_UNKNOWN_ENC = "unknown_enc"
#: The header's `zip` is not `DEF`.
JWE_UNKNOWN_ZIP = "unknown_zip"
#: A part of the token is larger than the debugger reads.
JWE_TOO_LARGE = "token_too_large"
#: The PBES2 iteration count `p2c` is beyond the debugger's limit.
JWE_P2C_TOO_LARGE = "p2c_too_large"
#: The key could not be read.
JWE_BAD_KEY = "bad_key"
#: The header's `kid` names no key of the JWK Set.
JWE_KID_NOT_FOUND = "kid_not_found"
#: The key is of the wrong kind (or curve) for the header's `alg`.
JWE_KEY_KIND_MISMATCH = "key_kind_mismatch"
#: Decrypting needs the private key, and only the public key was given.
JWE_PRIVATE_KEY_REQUIRED = "private_key_required"
#: An AES key-wrapping key is not the size the `alg` names.
JWE_KEY_SIZE_MISMATCH = "key_size_mismatch"
#: With `alg` `dir`, the key is not the size the `enc` needs.
JWE_DIR_KEY_SIZE = "dir_key_size_mismatch"
#: The initialization vector is not the length the `enc` needs.
JWE_BAD_IV_LENGTH = "bad_iv_length"
#: The authentication tag is not the length the `enc` produces.
JWE_BAD_TAG_LENGTH = "bad_tag_length"
#: With `dir` or `ECDH-ES` the encrypted-key part must be empty, and it is not.
JWE_BAD_ENCRYPTED_KEY = "bad_encrypted_key"
#: The key could not unwrap the content-encryption key: it is not the recipient's key.
JWE_WRONG_KEY = "wrong_key"
#: The key is right, but the authentication tag does not match: the token was changed.
JWE_TAG_MISMATCH = "tag_mismatch"
#: The tag does not match; with this `alg` a wrong key and a changed token look the same.
JWE_WRONG_KEY_OR_TAG_MISMATCH = "wrong_key_or_tag_mismatch"
#: The `zip` plaintext inflates beyond the debugger's limit (a decompression bomb).
JWE_DECOMPRESSION_LIMIT = "decompression_limit"
#: Any other failure of the decryption.
JWE_DECRYPTION_FAILED = "decryption_failed"

JWE_REASON_CODES = (
    JWE_MALFORMED,
    JWE_BAD_HEADER,
    JWE_UNKNOWN_ALG,
    JWE_UNKNOWN_ENC,
    JWE_UNKNOWN_ZIP,
    JWE_TOO_LARGE,
    JWE_P2C_TOO_LARGE,
    JWE_BAD_KEY,
    JWE_KID_NOT_FOUND,
    JWE_KEY_KIND_MISMATCH,
    JWE_PRIVATE_KEY_REQUIRED,
    JWE_KEY_SIZE_MISMATCH,
    JWE_DIR_KEY_SIZE,
    JWE_BAD_IV_LENGTH,
    JWE_BAD_TAG_LENGTH,
    JWE_BAD_ENCRYPTED_KEY,
    JWE_WRONG_KEY,
    JWE_TAG_MISMATCH,
    JWE_WRONG_KEY_OR_TAG_MISMATCH,
    JWE_DECOMPRESSION_LIMIT,
    JWE_DECRYPTION_FAILED,
)
#: The `reason.code` of a nested token's report when no `inner_key` was given to verify it.
NO_INNER_KEY = "no_inner_key"

# What an API's answer to a probe means: `explanations[].code` of a probe.

#: The API answered 2xx: it accepted the token.
TOKEN_ACCEPTED = "token_accepted"
#: The API refused the token, and the token's `exp` has passed.
TOKEN_EXPIRED = "token_expired"
#: The API refused the token, and the token's `nbf` (or `iat`) is still ahead.
TOKEN_NOT_YET_VALID = "token_not_yet_valid"
#: The API refused the token (RFC 6750 `invalid_token`) for a reason it does not give.
TOKEN_REJECTED = "token_rejected"
#: The API wants scopes the token does not carry (RFC 6750 `insufficient_scope`).
SCOPE_MISSING = "scope_missing"
#: The API found the request malformed (RFC 6750 `invalid_request`).
REQUEST_MALFORMED = "request_malformed"
#: The API challenged without an error code although a token was sent: it did not see it.
TOKEN_NOT_SEEN = "token_not_seen"
#: The API asks for another authentication scheme than the one sent.
SCHEME_MISMATCH = "scheme_mismatch"
#: The API wants a DPoP proof carrying its nonce (RFC 9449 `use_dpop_nonce`).
DPOP_NONCE_REQUIRED = "dpop_nonce_required"
#: The API refused the DPoP proof (RFC 9449 `invalid_dpop_proof`).
DPOP_PROOF_REJECTED = "dpop_proof_rejected"
#: The API answered 401 without a `WWW-Authenticate` challenge, which RFC 9110 requires.
NO_CHALLENGE = "no_challenge"
#: The API answered 403: it read the token and does not allow this request with it.
FORBIDDEN = "forbidden"
#: The API answered with a redirect, which a probe does not follow.
REDIRECTED = "redirected"

CHALLENGE_CODES = (
    TOKEN_ACCEPTED,
    TOKEN_EXPIRED,
    TOKEN_NOT_YET_VALID,
    TOKEN_REJECTED,
    SCOPE_MISSING,
    REQUEST_MALFORMED,
    TOKEN_NOT_SEEN,
    SCHEME_MISMATCH,
    DPOP_NONCE_REQUIRED,
    DPOP_PROOF_REJECTED,
    NO_CHALLENGE,
    FORBIDDEN,
    REDIRECTED,
)

# What is wrong with a DPoP proof (RFC 9449 section 4.3): `problems[].code` of a proof check.

#: The proof is not a readable signed JWT.
DPOP_MALFORMED = "dpop_malformed"
#: The header's `typ` is not `dpop+jwt`.
DPOP_BAD_TYP = "dpop_bad_typ"
#: The `alg` is `none`, an HMAC, or unknown: a proof is signed with a private key.
DPOP_BAD_ALG = "dpop_bad_alg"
#: The header's `jwk` is missing, not a public key, or holds private members.
DPOP_BAD_JWK = "dpop_bad_jwk"
#: The signature does not verify with the header's `jwk`.
DPOP_BAD_SIGNATURE = "dpop_bad_signature"
#: A required claim (`jti`, `htm`, `htu`, `iat`) is missing or of the wrong type.
DPOP_MISSING_CLAIM = "dpop_missing_claim"
#: `htm` is not the method of the request.
DPOP_HTM_MISMATCH = "dpop_htm_mismatch"
#: `htu` is not the URL of the request (without query and fragment).
DPOP_HTU_MISMATCH = "dpop_htu_mismatch"
#: `iat` is too far from now: the proof is stale or from the future.
DPOP_IAT_OUT_OF_RANGE = "dpop_iat_out_of_range"
#: `ath` is missing or is not the hash of the access token sent with it.
DPOP_ATH_MISMATCH = "dpop_ath_mismatch"
#: The access token's `cnf.jkt` is not the thumbprint of the proof's key.
DPOP_JKT_MISMATCH = "dpop_jkt_mismatch"

DPOP_PROBLEM_CODES = (
    DPOP_MALFORMED,
    DPOP_BAD_TYP,
    DPOP_BAD_ALG,
    DPOP_BAD_JWK,
    DPOP_BAD_SIGNATURE,
    DPOP_MISSING_CLAIM,
    DPOP_HTM_MISMATCH,
    DPOP_HTU_MISMATCH,
    DPOP_IAT_OUT_OF_RANGE,
    DPOP_ATH_MISMATCH,
    DPOP_JKT_MISMATCH,
)

# OAuth and OpenID Connect: warnings about a provider's metadata (`warnings[].code`, where
# `ISSUER_MISMATCH` is shared with the key-set fetch).

#: The metadata offers no S256 code challenge method: PKCE is absent or only `plain`.
PKCE_S256_MISSING = "pkce_s256_missing"
#: The metadata offers the `plain` code challenge method, which protects nothing.
PKCE_PLAIN_OFFERED = "pkce_plain_offered"
#: `none` is among the ID token (or other) signing algorithms the provider supports.
ALG_NONE_SUPPORTED = "alg_none_supported"
#: The issuer is plain http on a host other than loopback.
ISSUER_NOT_HTTPS = "issuer_not_https"
#: The metadata names no `jwks_uri`: ID tokens cannot be checked against the provider's keys.
METADATA_NO_JWKS_URI = "metadata_no_jwks_uri"
#: The metadata names no token endpoint.
METADATA_NO_TOKEN_ENDPOINT = "metadata_no_token_endpoint"
#: The metadata offers the implicit grant, which OAuth 2.0 Security BCP (RFC 9700) deprecates.
IMPLICIT_GRANT_OFFERED = "implicit_grant_offered"

METADATA_WARNING_CODES = (
    ISSUER_MISMATCH,
    ISSUER_TEMPLATE,
    PKCE_S256_MISSING,
    PKCE_PLAIN_OFFERED,
    ALG_NONE_SUPPORTED,
    ISSUER_NOT_HTTPS,
    METADATA_NO_JWKS_URI,
    METADATA_NO_TOKEN_ENDPOINT,
    IMPLICIT_GRANT_OFFERED,
)

# What a provider's error answer most likely means: `diagnosis.code`.

#: The code, refresh token or device code is invalid, expired, used or not the client's.
GRANT_INVALID = "grant_invalid"
#: The code verifier does not match the code challenge of the authorization request.
PKCE_MISMATCH = "pkce_mismatch"
#: The redirect URI is not registered for the client, or differs from the authorization request.
REDIRECT_URI_MISMATCH = "redirect_uri_mismatch"
#: The client could not be authenticated (unknown client, wrong secret or method, bad assertion).
CLIENT_AUTH_FAILED = "client_auth_failed"
#: The client assertion's times disagree with the provider's clock.
ASSERTION_CLOCK_SKEW = "assertion_clock_skew"
#: The client may not use this grant type.
CLIENT_NOT_AUTHORIZED = "client_not_authorized"
#: A requested scope is unknown or not allowed for the client.
SCOPE_INVALID = "scope_invalid"
#: The provider does not support the grant type.
GRANT_TYPE_UNSUPPORTED = "grant_type_unsupported"
#: The request lacks a parameter or has a malformed one.
REQUEST_INVALID = "request_invalid"
#: Device flow: the user has not approved yet; keep polling.
AUTHORIZATION_PENDING = "authorization_pending"
#: Device flow: poll less often (the interval grows by five seconds).
SLOW_DOWN = "slow_down"
#: The user or the provider refused the request.
ACCESS_DENIED = "access_denied"
#: The device code expired before it was approved.
DEVICE_CODE_EXPIRED = "device_code_expired"
#: The access token given to UserInfo is invalid or lacks the openid scope.
TOKEN_INVALID = "token_invalid"
#: Any other error the provider answered.
PROVIDER_ERROR = "provider_error"

DIAGNOSIS_CODES = (
    GRANT_INVALID,
    PKCE_MISMATCH,
    REDIRECT_URI_MISMATCH,
    CLIENT_AUTH_FAILED,
    ASSERTION_CLOCK_SKEW,
    CLIENT_NOT_AUTHORIZED,
    SCOPE_INVALID,
    GRANT_TYPE_UNSUPPORTED,
    REQUEST_INVALID,
    AUTHORIZATION_PENDING,
    SLOW_DOWN,
    ACCESS_DENIED,
    DEVICE_CODE_EXPIRED,
    TOKEN_INVALID,
    PROVIDER_ERROR,
)

# The ID token and JWT access token checklist (OpenID Connect Core 3.1.3.7, RFC 9068):
# `checks[].code`.

#: The signature verifies with a key of the provider's jwks_uri.
TOKEN_SIGNATURE = "token_signature"
#: `iss` equals the discovered issuer.
TOKEN_ISSUER = "token_issuer"
#: `aud` contains the client id (for an access token: the resource asked for, if any).
TOKEN_AUDIENCE = "token_audience"
#: `azp` is the client id, required when there are several audiences.
TOKEN_AZP = "token_azp"
#: `exp` is in the future.
TOKEN_EXPIRY = "token_expiry"
#: `iat` is present and not in the future.
TOKEN_ISSUED_AT = "token_issued_at"
#: `nonce` equals the one sent in the authorization request.
TOKEN_NONCE = "token_nonce"
#: `at_hash` matches the access token.
TOKEN_AT_HASH = "token_at_hash"
#: `c_hash` matches the authorization code.
TOKEN_C_HASH = "token_c_hash"
#: An RFC 9068 access token's `typ` is `at+jwt`.
TOKEN_TYP = "token_typ"
#: The header's alg is one the provider says it uses.
TOKEN_ALG = "token_alg"

TOKEN_CHECK_CODES = (
    TOKEN_SIGNATURE,
    TOKEN_ISSUER,
    TOKEN_AUDIENCE,
    TOKEN_AZP,
    TOKEN_EXPIRY,
    TOKEN_ISSUED_AT,
    TOKEN_NONCE,
    TOKEN_AT_HASH,
    TOKEN_C_HASH,
    TOKEN_TYP,
    TOKEN_ALG,
)

# The overall result of a decode or verify answer: `result.code`, one line like the terminal's
# `Result` line. Several are shared with the families above (`malformed_token`, `kid_not_found`,
# `bad_key`, `expired`, `not_yet_valid`, `invalid_numericdate`).

#: The signature holds, the times are valid and every claim check passed.
VERIFIED = "verified"
#: The signature holds only with the key the token carries in its own header: proves nothing.
VERIFIED_WITH_EMBEDDED_KEY = "verified_with_embedded_key"
#: The signature does not hold with the key given.
INVALID_SIGNATURE = "invalid_signature"
#: The token is decoded but no key or secret was given, so the signature is not checked.
NO_KEY = "no_key"
#: The key given cannot check the token's algorithm (wrong type, or the algorithm not allowed).
KEY_UNFIT = "key_unfit"
#: The token is encrypted (JWE): its payload cannot be read without the recipient's key.
ENCRYPTED_TOKEN = "encrypted_token"
#: The signature holds, but a claim check the user asked for failed.
CLAIM_CHECK_FAILED = "claim_check_failed"

RESULT_CODES = (
    VERIFIED,
    VERIFIED_WITH_EMBEDDED_KEY,
    INVALID_SIGNATURE,
    MALFORMED_TOKEN,
    ENCRYPTED_TOKEN,
    NO_KEY,
    BAD_KEY,
    KEY_UNFIT,
    KID_NOT_FOUND,
    EXPIRED,
    NOT_YET_VALID,
    INVALID_NUMERICDATE,
    CLAIM_CHECK_FAILED,
)

FAMILIES: dict[str, tuple[str, ...]] = {
    "result": RESULT_CODES,
    "reason": REASON_CODES,
    "jwe_reason": JWE_REASON_CODES,
    "nested_reason": (NO_INNER_KEY,),
    "note": NOTE_CODES,
    "verify_note": VERIFY_NOTE_CODES,
    "hint": HINT_CODES,
    "claim": CLAIM_CODES,
    "problem": PROBLEM_CODES,
    "time_problem": TIME_PROBLEM_CODES,
    "key_warning": KEY_WARNING_CODES,
    "key_set_entry": KEY_SET_ENTRY_CODES,
    "fetch_warning": FETCH_WARNING_CODES,
    "demo_reason": DEMO_REASON_CODES,
    "mistake": MISTAKE_CODES,
    "finding": FINDING_IDS,
    "challenge": CHALLENGE_CODES,
    "dpop_problem": DPOP_PROBLEM_CODES,
    "metadata_warning": METADATA_WARNING_CODES,
    "diagnosis": DIAGNOSIS_CODES,
    "token_check": TOKEN_CHECK_CODES,
}
