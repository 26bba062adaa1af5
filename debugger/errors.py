"""The one error type for problems a user can fix, and every error code it carries."""

from __future__ import annotations

#: The request body or one of its fields is not what the endpoint takes.
INVALID_REQUEST = "invalid_request"
#: Header or payload text given to be signed is not valid JSON of the right shape.
INVALID_JSON = "invalid_json"
#: The key or secret cannot be understood at all.
BAD_KEY = "bad_key"
#: The key is of a type that cannot be used with the requested algorithm.
KEY_TYPE_MISMATCH = "key_type_mismatch"
#: Signing needs a secret or a private key, and only a public key was given.
PRIVATE_KEY_REQUIRED = "private_key_required"
#: The algorithm is not one the debugger knows.
UNSUPPORTED_ALG = "unsupported_alg"
#: No route at that URL.
NOT_FOUND = "not_found"
#: The route exists but not for that HTTP method.
METHOD_NOT_ALLOWED = "method_not_allowed"
#: The request body is larger than the server accepts.
TOO_LARGE = "too_large"
#: Any other HTTP-level problem with the request.
BAD_REQUEST = "bad_request"
#: Something failed inside the debugger; never expected.
INTERNAL = "internal_error"
#: The request's Host is not an address the debugger listens on (a DNS-rebinding defence).
HOST_NOT_ALLOWED = "host_not_allowed"
#: A POST came from a page of another origin: only the debugger's own page may use the API.
ORIGIN_NOT_ALLOWED = "origin_not_allowed"
#: A JSON endpoint was sent a body that is not `Content-Type: application/json`.
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
#: The token carries no key of the kind asked for (an `x5c` chain or a `jwk`).
NO_EMBEDDED_KEY = "no_embedded_key"
#: The URL or issuer to fetch keys from is not an http or https URL with a host.
FETCH_BAD_URL = "fetch_bad_url"
#: The URL points at the debugger itself, which it never fetches from.
FETCH_OWN_ADDRESS = "fetch_own_address"
#: The URL holds a user name or password, which the debugger never sends.
FETCH_CREDENTIALS_IN_URL = "fetch_credentials_in_url"
#: The host resolves to a cloud instance-metadata address (such as 169.254.169.254).
FETCH_METADATA_ADDRESS = "fetch_metadata_address"
#: The host resolves to a link-local address (169.254.0.0/16 or fe80::/10).
FETCH_LINK_LOCAL_ADDRESS = "fetch_link_local_address"
#: The host resolves to a private network or loopback while the debugger listens beyond loopback.
FETCH_PRIVATE_ADDRESS = "fetch_private_address"
#: The host name in the URL could not be resolved.
FETCH_DNS_FAILED = "fetch_dns_failed"
#: The host refused the connection: nothing listens on that port.
FETCH_CONNECTION_REFUSED = "fetch_connection_refused"
#: The host did not answer in time.
FETCH_TIMEOUT = "fetch_timeout"
#: The TLS handshake failed (for example an untrusted or expired certificate).
FETCH_TLS_FAILED = "fetch_tls_failed"
#: Any other network failure while fetching.
FETCH_FAILED = "fetch_failed"
#: The server answered with an HTTP status other than 200.
FETCH_HTTP_STATUS = "fetch_http_status"
#: The server redirected to another host or scheme, or too many times.
FETCH_REDIRECT_REFUSED = "fetch_redirect_refused"
#: The answer is larger than the fetch limit.
FETCH_TOO_LARGE = "fetch_too_large"
#: The answer is not JSON (or not a JSON object).
FETCH_NOT_JSON = "fetch_not_json"
#: The answer is JSON but not a JWK Set: it has no "keys" list.
FETCH_NO_KEYS = "fetch_no_keys"
#: The discovery document has no "jwks_uri".
FETCH_NO_JWKS_URI = "fetch_no_jwks_uri"
#: A weak-secret search needs a readable HS256, HS384 or HS512 token.
NOT_HMAC_TOKEN = "not_hmac_token"
#: A wordlist search would cost more than one request may: send fewer lines per request.
SEARCH_OVER_BUDGET = "search_over_budget"
#: The token's header cannot be read, so no variants can be made from it.
UNREADABLE_TOKEN = "unreadable_token"
#: The demo protected API refused the Bearer token; `reason` in the error says why.
UNAUTHORIZED = "unauthorized"

ERROR_CODES = (
    INVALID_REQUEST,
    INVALID_JSON,
    BAD_KEY,
    KEY_TYPE_MISMATCH,
    PRIVATE_KEY_REQUIRED,
    UNSUPPORTED_ALG,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    TOO_LARGE,
    BAD_REQUEST,
    INTERNAL,
    HOST_NOT_ALLOWED,
    ORIGIN_NOT_ALLOWED,
    UNSUPPORTED_MEDIA_TYPE,
    NO_EMBEDDED_KEY,
    FETCH_BAD_URL,
    FETCH_OWN_ADDRESS,
    FETCH_CREDENTIALS_IN_URL,
    FETCH_METADATA_ADDRESS,
    FETCH_LINK_LOCAL_ADDRESS,
    FETCH_PRIVATE_ADDRESS,
    FETCH_DNS_FAILED,
    FETCH_CONNECTION_REFUSED,
    FETCH_TIMEOUT,
    FETCH_TLS_FAILED,
    FETCH_FAILED,
    FETCH_HTTP_STATUS,
    FETCH_REDIRECT_REFUSED,
    FETCH_TOO_LARGE,
    FETCH_NOT_JSON,
    FETCH_NO_KEYS,
    FETCH_NO_JWKS_URI,
    NOT_HMAC_TOKEN,
    SEARCH_OVER_BUDGET,
    UNREADABLE_TOKEN,
    UNAUTHORIZED,
)


class DebuggerError(Exception):
    """A problem the user can fix: `code` is stable, `message` is for people."""

    status = 400

    def __init__(
        self, code: str, message: str, *, status: int | None = None, field: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def to_dict(self) -> dict[str, object]:
        """The error as the API returns it under `"error"`."""
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return error


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
