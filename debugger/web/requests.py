"""What each API endpoint takes: one declaration per request, read by the views and published in
the OpenAPI document (see `fields`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..analysis.key_recovery import RECOVERY_SECONDS
from ..analysis.weak_secrets import SEARCH_SECONDS, SEARCH_WORK_BUDGET, SECRET_COST_BYTES
from ..errors import INVALID_REQUEST, SCAN_NOT_CONFIRMED, DebuggerError
from ..jose.certs import EMBEDDED_KINDS
from ..jose.claims import ClaimChecks
from ..jose.conversions import CONVERSIONS
from ..jose.jwe_encrypt import SERIALIZATIONS as JWE_SERIALIZATIONS
from ..jose.keys import SECRET_ENCODINGS
from ..net.probe import PLACEMENTS, ProbeSpec
from .fields import AnyOf, Endpoint, OneOf, Request, field
from .oauth_requests import OAUTH_ENDPOINTS

_SECRET_ENCODING = "How a secret is written; PEM and JWK keys ignore it."
_PASSPHRASE = "The passphrase of an encrypted private key (PEM or OpenSSH)."


@dataclass(frozen=True, kw_only=True)
class Clock(Request):
    """The time to check a token's times against."""

    now: float | None = field("Seconds since 1970 to check times against (default: now).")
    leeway: float = field("Seconds of leeway for exp and nbf.", default=0)


@dataclass(frozen=True, kw_only=True)
class Checks(Request):
    """The claim checks decode, verify and explain take."""

    audience: str | list[str] | None = field("Passes when any of these is in the token's aud.")
    issuer: str | None = field("The iss the token must carry.")
    subject: str | None = field("The sub the token must carry.")
    required_claims: list[str] | None = field("Claims the token must carry.")

    def checks(self) -> ClaimChecks:
        """The checks as the core takes them."""
        return ClaimChecks(
            audience=self.audience,
            issuer=self.issuer,
            subject=self.subject,
            required=tuple(self.required_claims or ()),
        )


@dataclass(frozen=True, kw_only=True)
class DecodeRequest(Checks, Clock):
    token: str = field("The token as pasted.")
    compact_answer: bool = field(
        "Leave `parts` out of the answer: the token's parts as written, which `token` holds "
        "already. For a token with a 1 MiB claim set the answer is 1.4 MB smaller.",
        default=False,
    )


@dataclass(frozen=True, kw_only=True)
class VerifyRequest(DecodeRequest):
    """A verify request but its key, read apart so that a key error can be answered with 200."""

    report_key_error: bool = field(
        "When the key cannot be used, answer 200 with the decode report, signature_valid false "
        "and key_error, instead of a 400 error.",
        default=False,
    )


@dataclass(frozen=True, kw_only=True)
class VerifyKey(Request):
    """The key of a verify request, and how to use it."""

    key: str | None = field("A secret, PEM, JWK or JWK Set.")
    use_embedded_key: str | None = field(
        "Verify with the key the token's header carries instead of `key`.", choices=EMBEDDED_KINDS
    )
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)
    passphrase: str | None = field(_PASSPHRASE)
    algorithms: list[str] | None = field("The algorithms to accept (default: any).")
    detached_payload: str | None = field("The payload of a token sent without one.")

    rules = (AnyOf(("key", "use_embedded_key"), missing="key"),)


@dataclass(frozen=True, kw_only=True)
class ExplainRequest(Checks, Clock):
    token: str = field("The token as pasted.")
    key: str | None = field("Without it, no walkthrough.")
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)
    algorithms: list[str] | None = field("The algorithms to accept (default: any).")
    detached_payload: str | None = field("The payload of a token sent without one.")
    url: str | None = field("Where the curl command sends the token.")


@dataclass(frozen=True, kw_only=True)
class EncodeRequest(Request):
    header: Any = field("The header: a JSON object, or its JSON text.", default=None)
    payload: Any = field("The payload: any JSON value, usually an object of claims.", default=None)
    header_json: str | None = field("Header JSON text, as written.")
    payload_json: str | None = field("Payload JSON text, as written.")
    payload_raw: str | None = field("A payload of any text, as is.")
    detached: bool = field("Leave the payload part empty.", default=False)
    jws_payload: bool = field(
        "Sign a JSON payload that is not an object (a JWS that is not a JWT).", default=False
    )
    key: str = field("A secret, private PEM, JWK or JWK Set.")
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)
    passphrase: str | None = field(_PASSPHRASE)

    rules = (
        AnyOf(("header", "header_json"), missing="header"),
        AnyOf(("payload", "payload_json", "payload_raw"), missing="payload"),
    )

    def header_value(self) -> Any:
        """The header to sign: its JSON text when given, else the object."""
        return self.header if self.header_json is None else self.header_json

    def payload_value(self) -> Any:
        """The payload to sign: raw text, else JSON text, else the value."""
        for given in (self.payload_raw, self.payload_json):
            if given is not None:
                return given
        return self.payload


@dataclass(frozen=True, kw_only=True)
class KeyInspectRequest(Clock):
    key: str = field("A secret, PEM, JWK or JWK Set.")
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)
    passphrase: str | None = field(_PASSPHRASE)


@dataclass(frozen=True, kw_only=True)
class KeyGenerateRequest(Request):
    alg: str = field("The algorithm the key is for.")
    size: int | None = field("RSA modulus or HMAC secret bits.")
    curve: str | None = field("For ECDH-ES: P-256, P-384, P-521, X25519 or X448.")


@dataclass(frozen=True, kw_only=True)
class KeyCertificateRequest(Request):
    key: str = field("A private RSA, EC or OKP key: PEM or JWK.")
    subject: str | None = field("The certificate's common name.")
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)
    passphrase: str | None = field(_PASSPHRASE)


@dataclass(frozen=True, kw_only=True)
class KeyConvertRequest(Request):
    to: str = field("What to convert to.", choices=CONVERSIONS)
    keys: list[str] | None = field("Key texts to convert together.", min_items=1)
    key: str | None = field("One key text to convert.")
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)

    rules = (AnyOf(("keys", "key"), missing="key"),)

    def key_texts(self) -> list[str]:
        """The keys to convert: `keys`, else the one `key`."""
        return self.keys if self.keys is not None else [self.key or ""]


@dataclass(frozen=True, kw_only=True)
class JwksFetchRequest(Request):
    url: str | None = field("The JWK Set URL.")
    issuer: str | None = field("An issuer to discover the URL from.")

    rules = (OneOf(("url", "issuer")),)


@dataclass(frozen=True, kw_only=True)
class AttacksRequest(Request):
    token: str = field("The token to forge variants of.")
    public_key: str | None = field("The issuer's public key, for the key-confusion variant.")
    jku_url: str | None = field(
        "The URL the jku variant names, where you publish its attacker_jwks (default: an "
        "example attacker's URL). Nothing is fetched."
    )


@dataclass(frozen=True, kw_only=True)
class RecoverKeyRequest(Request):
    token: str = field("An RS256, RS384 or RS512 token.")
    second_token: str = field(
        "Another token signed by the same key (a different payload or iat). The recovery takes "
        f"up to a minute for a 2048-bit key and stops after {RECOVERY_SECONDS:g} s."
    )


@dataclass(frozen=True, kw_only=True)
class SecretSearchRequest(Request):
    token: str = field("An HS256, HS384 or HS512 token.")
    wordlist_base64: bytes = field(
        "One chunk of a wordlist file, base64 of its bytes. A chunk may hold at most "
        f"{SEARCH_WORK_BUDGET:,} / (signing-input bytes + {SECRET_COST_BYTES:,}) lines "
        f"(search_over_budget otherwise); the search stops after {SEARCH_SECONDS:g} s and says "
        "how far it got."
    )


@dataclass(frozen=True, kw_only=True)
class ProbeRequest(Request):
    url: str = field("The API's URL, as typed by the user.")
    method: str = field("The HTTP method.", default="GET")
    token: str | None = field("The token to send.")
    placement: str = field(
        "Where the token goes: Authorization Bearer, another header (`name`), a cookie or a "
        "query parameter.",
        default="bearer",
        choices=PLACEMENTS,
    )
    name: str | None = field("The header, cookie or query parameter name.")
    headers: dict[str, Any] | None = field("Extra headers: name to text.")
    body: str | None = field("The request body, as text.")
    dpop_key: str | None = field("A private key: send a DPoP proof made with it (RFC 9449).")

    def spec(self) -> ProbeSpec:
        """The probe as the core takes it."""
        headers = self.headers or {}
        if not all(isinstance(value, str) for value in headers.values()):
            raise DebuggerError(
                INVALID_REQUEST, '"headers" must map names to text values.', field="headers"
            )
        return ProbeSpec(
            url=self.url,
            method=self.method,
            token=self.token,
            placement=self.placement,
            name=self.name,
            headers=headers,
            body=self.body,
            dpop_key=self.dpop_key,
        )


@dataclass(frozen=True, kw_only=True)
class ProbeAttacksRequest(ProbeRequest):
    token: str = field("The genuine token, which the API accepts.")
    confirm: bool = field(
        "Must be true: you confirm that you are allowed to test this API.", default=False
    )
    key: str | None = field(
        "The issuer's public key (key confusion), or the signing key (the expired copy)."
    )
    jku_url: str | None = field("The URL the jku variant names (your own request catcher).")
    attacks: list[str] | None = field("Send only these attacks (default: all).")
    baseline_status: int | None = field(
        "The genuine token's status from an earlier request: it is not sent again."
    )

    def confirmed(self) -> ProbeSpec:
        """The probe to scan with, once the user has confirmed they may test the API."""
        if self.confirm is not True:
            raise DebuggerError(
                SCAN_NOT_CONFIRMED,
                'An attack scan sends forged tokens to the API: send "confirm": true to say '
                "that you are allowed to test it. Scan only systems you are allowed to test.",
                field="confirm",
            )
        if self.dpop_key:
            raise DebuggerError(
                INVALID_REQUEST, "The scan does not send DPoP proofs.", field="dpop_key"
            )
        return self.spec()


@dataclass(frozen=True, kw_only=True)
class ExtractRequest(Request):
    text: str = field("Anything: a curl command, HTTP text, a log, a HAR file, a .env file, a URL.")


@dataclass(frozen=True, kw_only=True)
class DpopCheckRequest(Clock):
    proof: str = field("A DPoP proof (the DPoP header's value).")
    token: str | None = field("The access token sent with it: checks ath and cnf.jkt.")
    method: str | None = field("The request's method: checks htm.")
    url: str | None = field("The request's URL: checks htu.")


@dataclass(frozen=True, kw_only=True)
class DecryptRequest(Checks, Clock):
    token: str = field("A compact JWE (five parts).")
    key: str = field("PEM, JWK, JWK Set (chosen by kid), secret or password.")
    inner_key: str | None = field("The key to verify a nested (signed, then encrypted) token.")
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)


@dataclass(frozen=True, kw_only=True)
class EncryptRequest(Request):
    header: dict[str, Any] = field("The protected header: alg and enc, zip DEF if wanted.")
    key: str = field("The recipient's key, secret or password.")
    payload: dict[str, Any] | None = field("Claims to encrypt (or to sign).")
    plaintext: str | None = field("Any text to encrypt, as is.")
    sign: dict[str, Any] | None = field(
        "Sign the payload first and encrypt the token (cty JWT): {header: object, key: string}."
    )
    secret_encoding: str = field(_SECRET_ENCODING, default="utf-8", choices=SECRET_ENCODINGS)
    serialization: str = field(
        "compact (five dot-separated parts) or flattened (the JSON serialization).",
        default="compact",
        choices=JWE_SERIALIZATIONS,
    )

    def signing(self) -> tuple[dict[str, Any], str] | None:
        """The header and key to sign with before encrypting, when `sign` is given."""
        if self.sign is None:
            return None
        header, key = self.sign.get("header"), self.sign.get("key")
        if not isinstance(header, dict) or not isinstance(key, str):
            raise DebuggerError(
                INVALID_REQUEST,
                '"sign" must be an object with "header" (an object) and "key" (a string).',
                field="sign",
            )
        return header, key


ENDPOINTS: dict[str, Endpoint] = {
    "/api/decode": Endpoint("Decode a token without a key.", (DecodeRequest,), "DecodeResponse"),
    "/api/verify": Endpoint(
        "Decode a token and verify its signature with a key or secret.",
        (VerifyRequest, VerifyKey),
        "VerifyResponse",
    ),
    "/api/explain": Endpoint(
        "How the signature is checked, step by step, and code that does the same.",
        (ExplainRequest,),
        "ExplainResponse",
    ),
    "/api/encode": Endpoint(
        "Sign a header and payload with a key or secret.", (EncodeRequest,), "EncodeResponse"
    ),
    "/api/keys/inspect": Endpoint(
        "Describe a key or key set, with its public JWK and PEM.",
        (KeyInspectRequest,),
        "KeyInspectResponse",
    ),
    "/api/keys/generate": Endpoint(
        "Generate a key or secret for an algorithm.", (KeyGenerateRequest,), "KeyGenerateResponse"
    ),
    "/api/keys/convert": Endpoint(
        "Convert keys between PEM, JWK and JWK Set.", (KeyConvertRequest,), "KeyConvertResponse"
    ),
    "/api/keys/certificate": Endpoint(
        "Make a self-signed certificate for a private key, with its x5c header value.",
        (KeyCertificateRequest,),
        "KeyCertificateResponse",
    ),
    "/api/jwks/fetch": Endpoint(
        "Fetch a JWK Set from a URL or discover it from an issuer.",
        (JwksFetchRequest,),
        "JwksFetchResponse",
    ),
    "/api/attacks": Endpoint(
        "Forge the classic attack variants of a token.", (AttacksRequest,), "AttacksResponse"
    ),
    "/api/recover-key": Endpoint(
        "Recover the RSA public key that signed two RS256, RS384 or RS512 tokens.",
        (RecoverKeyRequest,),
        "RecoverKeyResponse",
    ),
    "/api/secret-search": Endpoint(
        "Try one chunk of a wordlist as the HMAC secret of a token.",
        (SecretSearchRequest,),
        "SecretSearchResponse",
    ),
    "/api/decrypt": Endpoint(
        "Decrypt a JWE and check what it holds; a nested token is verified with inner_key.",
        (DecryptRequest,),
        "DecryptResponse",
    ),
    "/api/encrypt": Endpoint(
        "Encrypt claims, text or a signed token as a compact JWE.",
        (EncryptRequest,),
        "EncryptResponse",
    ),
    "/api/probe": Endpoint(
        "Send the token to an API once and explain its answer.", (ProbeRequest,), "ProbeResponse"
    ),
    "/api/probe/preview": Endpoint(
        "What /api/probe would send, secrets masked; nothing is sent.",
        (ProbeRequest,),
        "ProbePreviewResponse",
    ),
    "/api/probe/attacks": Endpoint(
        "Send the genuine token, a corrupted copy and the forged variants to an API; needs "
        "confirm true.",
        (ProbeAttacksRequest,),
        "ProbeAttacksResponse",
    ),
    "/api/extract": Endpoint(
        "List every JWT and JWE in a pasted text, with where it was found.",
        (ExtractRequest,),
        "ExtractResponse",
    ),
    "/api/dpop/check": Endpoint(
        "Check a DPoP proof: its header, claims and key, and its binding to a token.",
        (DpopCheckRequest,),
        "DpopCheckResponse",
    ),
}

# The OAuth troubleshooter's endpoints are declared beside their views' core.

ENDPOINTS.update(OAUTH_ENDPOINTS)
