"""The one error type for problems a user can fix, and every error code it carries.

The codes of answers (reasons, hints, claim checks, problems, finding ids, ...) are in `codes.py`.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

#: The request body or one of its fields is not what the endpoint takes.
INVALID_REQUEST = "invalid_request"
#: Header or payload text given to be signed is not valid JSON of the right shape.
INVALID_JSON = "invalid_json"
#: The key or secret cannot be understood at all.
BAD_KEY = "bad_key"
#: An RSA key is larger than the debugger reads: 16384 bits for a public key, 8192 for a private
#: key, and, for the private keys given in one request, the work of checking one 8192-bit key.
KEY_TOO_LARGE = "key_too_large"
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
#: The request's headers are larger than the server accepts.
HEADERS_TOO_LARGE = "headers_too_large"
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
#: Key recovery needs readable RS256, RS384 or RS512 tokens (not PSS) of 512 to 4096 bits.
NOT_RSA_TOKEN = "not_rsa_token"
#: No RSA key signed both tokens (different keys, the same content twice), or time ran out.
KEY_NOT_RECOVERED = "key_not_recovered"
#: A key recovery is already running: the server runs one at a time (each takes a core).
RECOVERY_BUSY = "recovery_busy"
#: The metadata or the request names no endpoint for what was asked (token, device, userinfo...).
OAUTH_NO_ENDPOINT = "oauth_no_endpoint"
#: The OAuth callback's `state` is unknown, already used, or older than ten minutes.
OAUTH_UNKNOWN_STATE = "oauth_unknown_state"
#: The client authentication method needs a secret or a key that was not given, or is unknown.
OAUTH_CLIENT_AUTH = "oauth_client_auth"
#: Too many authorization flows are waiting for their callback.
OAUTH_TOO_MANY_FLOWS = "oauth_too_many_flows"
#: The demo protected API refused the Bearer token; `reason` in the error says why.
UNAUTHORIZED = "unauthorized"
#: An attack scan was asked for without `"confirm": true`: scan only systems you may test.
SCAN_NOT_CONFIRMED = "scan_not_confirmed"
#: /api/encode was given a payload that is not a JSON object, without `jws_payload`.
PAYLOAD_NOT_OBJECT = "payload_not_object"

ERROR_CODES = (
    INVALID_REQUEST,
    INVALID_JSON,
    BAD_KEY,
    KEY_TOO_LARGE,
    KEY_TYPE_MISMATCH,
    PRIVATE_KEY_REQUIRED,
    UNSUPPORTED_ALG,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    TOO_LARGE,
    HEADERS_TOO_LARGE,
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
    NOT_RSA_TOKEN,
    KEY_NOT_RECOVERED,
    RECOVERY_BUSY,
    UNAUTHORIZED,
    SCAN_NOT_CONFIRMED,
    PAYLOAD_NOT_OBJECT,
    OAUTH_NO_ENDPOINT,
    OAUTH_UNKNOWN_STATE,
    OAUTH_CLIENT_AUTH,
    OAUTH_TOO_MANY_FLOWS,
)


class ErrorData(TypedDict):
    """An error as the API returns it under `"error"`; `field` names the request field at fault."""

    code: str
    message: str
    field: NotRequired[str]


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

    def to_dict(self) -> ErrorData:
        """The error as the API returns it under `"error"`."""
        error: ErrorData = {"code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return error
