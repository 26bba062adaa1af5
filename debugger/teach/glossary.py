"""What each well-known header parameter and claim means, with the section that defines it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

from ..jose.times import (
    MILLISECONDS_FROM,
    TimeClaim,
    TimeReport,
    is_time_number,
    relative,
    utc_text,
)
from ..jose.tokens import ParsedToken

_RFC = "https://www.rfc-editor.org/rfc/"
_OIDC = "https://openid.net/specs/openid-connect-core-1_0.html"
_FRONT_CHANNEL = "https://openid.net/specs/openid-connect-frontchannel-1_0.html#ClaimsContents"


class EntryData(TypedDict):
    """A glossary entry as the API returns it."""

    title: str
    description: str
    source: str
    url: str


class TimeInfo(TypedDict):
    """A NumericDate in words: UTC text, relative to now, and whether it looks like ms."""

    value: Any
    utc: str | None
    relative: str
    milliseconds: bool


class ExplainRow(EntryData):
    """One header parameter or claim of the token with its meaning; `time` for a time claim."""

    name: str
    known: bool
    time: NotRequired[TimeInfo | None]


class Explanation(TypedDict):
    """One row per header parameter and per claim, in the token's order."""

    header: list[ExplainRow]
    payload: list[ExplainRow]


@dataclass(frozen=True)
class Entry:
    """One header parameter or claim: its full name, what it means and where it is defined."""

    title: str
    description: str
    source: str  # e.g. "RFC 7519 section 4.1.4"
    url: str
    is_time: bool = False

    def to_dict(self) -> EntryData:
        return {
            "title": self.title,
            "description": self.description,
            "source": self.source,
            "url": self.url,
        }


def _rfc(number: int, section: str) -> tuple[str, str]:
    return f"RFC {number} section {section}", f"{_RFC}rfc{number}#section-{section}"


def _oidc(anchor: str, label: str) -> tuple[str, str]:
    return f"OpenID Connect Core 1.0, {label}", f"{_OIDC}#{anchor}"


def _entry(title: str, description: str, where: tuple[str, str], is_time: bool = False) -> Entry:
    return Entry(title, description, where[0], where[1], is_time)


HEADER: dict[str, Entry] = {
    "alg": _entry(
        "Algorithm",
        "The algorithm the token says it was signed with. A verifier must decide the algorithm "
        "from its own configuration and key, never from this value alone.",
        _rfc(7515, "4.1.1"),
    ),
    "typ": _entry(
        "Type",
        'The media type of the whole token, usually "JWT" (or "at+jwt" for access tokens, '
        "RFC 9068). Informational for most verifiers.",
        _rfc(7515, "4.1.9"),
    ),
    "cty": _entry(
        "Content type",
        'The media type of the payload. "JWT" means the payload is itself a nested JWT.',
        _rfc(7515, "4.1.10"),
    ),
    "kid": _entry(
        "Key ID",
        "Which of the issuer's keys signed the token: the verifier looks it up in its JWK Set. "
        "It is a hint chosen by the sender, so treat it as untrusted text.",
        _rfc(7515, "4.1.4"),
    ),
    "jku": _entry(
        "JWK Set URL",
        "A URL where the signing key can be fetched. Fetching it because the token says so lets "
        "anyone who forges a token also choose the key: only use allow-listed URLs.",
        _rfc(7515, "4.1.2"),
    ),
    "jwk": _entry(
        "JSON Web Key",
        "The signing public key, carried inside the token. It proves nothing by itself: anyone "
        "can sign a token with their own key and embed it.",
        _rfc(7515, "4.1.3"),
    ),
    "x5u": _entry(
        "X.509 URL",
        "A URL of the certificate chain for the signing key. Like jku, it must not be fetched "
        "just because the token names it.",
        _rfc(7515, "4.1.5"),
    ),
    "x5c": _entry(
        "X.509 certificate chain",
        "The certificate chain of the signing key, as base64 DER. It proves nothing unless the "
        "chain is checked against a root you trust.",
        _rfc(7515, "4.1.6"),
    ),
    "x5t": _entry(
        "X.509 SHA-1 thumbprint",
        "The base64url SHA-1 hash of the signing certificate, used like a kid to pick the key.",
        _rfc(7515, "4.1.7"),
    ),
    "x5t#S256": _entry(
        "X.509 SHA-256 thumbprint",
        "The base64url SHA-256 hash of the signing certificate, used like a kid to pick the key.",
        _rfc(7515, "4.1.8"),
    ),
    "crit": _entry(
        "Critical",
        "Header parameters the verifier must understand; a verifier that does not implement one "
        "of them must reject the token.",
        _rfc(7515, "4.1.11"),
    ),
    "b64": _entry(
        "Base64url-encode payload",
        "false means the payload is carried as is, not base64url-encoded (RFC 7797). It must be "
        'listed in "crit".',
        _rfc(7797, "3"),
    ),
    "zip": _entry(
        "Compression",
        'Compression of the plaintext in an encrypted token (JWE); "DEF" is DEFLATE.',
        _rfc(7516, "4.1.3"),
    ),
    "enc": _entry(
        "Encryption algorithm",
        "The content encryption algorithm of an encrypted token (JWE).",
        _rfc(7516, "4.1.2"),
    ),
}

_REGISTERED = {
    "iss": (
        "Issuer",
        "Who issued and signed the token, usually a URL. Verifiers compare it exactly with the "
        "issuer they trust.",
        "4.1.1",
        False,
    ),
    "sub": (
        "Subject",
        "Whom the token is about, usually a user or client ID, unique within the issuer.",
        "4.1.2",
        False,
    ),
    "aud": (
        "Audience",
        "Who the token is meant for: a string or a list. A service must reject a token whose "
        "aud does not name it.",
        "4.1.3",
        False,
    ),
    "exp": (
        "Expiration time",
        "After this moment (seconds since 1970, UTC) the token must be rejected.",
        "4.1.4",
        True,
    ),
    "nbf": (
        "Not before",
        "Before this moment (seconds since 1970, UTC) the token must be rejected.",
        "4.1.5",
        True,
    ),
    "iat": (
        "Issued at",
        "When the token was issued (seconds since 1970, UTC): its age.",
        "4.1.6",
        True,
    ),
    "jti": (
        "JWT ID",
        "A unique ID for this token, used to stop it being replayed or to revoke it.",
        "4.1.7",
        False,
    ),
}

_OIDC_ID_TOKEN = {
    "auth_time": ("Authentication time", "When the user last actually logged in.", True),
    "nonce": (
        "Nonce",
        "The value the client sent in its authentication request; the client checks it to stop "
        "replayed ID tokens.",
        False,
    ),
    "acr": ("Authentication context class", "How strongly the user was authenticated.", False),
    "amr": (
        "Authentication methods",
        'How the user authenticated, such as ["pwd", "otp"] (RFC 8176).',
        False,
    ),
    "azp": ("Authorized party", "The client ID the ID token was issued to.", False),
    "at_hash": (
        "Access token hash",
        "Half of the hash of the access token issued with this ID token, to bind them.",
        False,
    ),
    "c_hash": ("Code hash", "Half of the hash of the authorization code issued with it.", False),
}

_OIDC_STANDARD = {
    "name": "The user's full name.",
    "given_name": "The user's given (first) name.",
    "family_name": "The user's family name (surname).",
    "middle_name": "The user's middle name.",
    "nickname": "A casual name of the user.",
    "preferred_username": "The name the user wants to be shown; not unique, not an identifier.",
    "profile": "URL of the user's profile page.",
    "picture": "URL of the user's picture.",
    "website": "URL of the user's web page or blog.",
    "email": "The user's e-mail address; trust it only with email_verified true.",
    "email_verified": "true when the issuer has verified the e-mail address.",
    "gender": "The user's gender.",
    "birthdate": "The user's birthday, YYYY-MM-DD.",
    "zoneinfo": "The user's time zone, such as Europe/Paris.",
    "locale": "The user's locale, such as en-US.",
    "phone_number": "The user's telephone number.",
    "phone_number_verified": "true when the issuer has verified the phone number.",
    "address": "The user's postal address, as a JSON object.",
    "updated_at": "When the user's information was last updated (seconds since 1970).",
}

_OAUTH = {
    "scope": (
        "Scope",
        "The permissions granted, as a space-separated string.",
        _rfc(8693, "4.2"),
    ),
    "client_id": ("Client ID", "The OAuth client the token was issued to.", _rfc(8693, "4.3")),
    "act": ("Actor", "Who is acting on behalf of the subject (delegation).", _rfc(8693, "4.1")),
    "may_act": (
        "Authorized actor",
        "Who may act on behalf of the subject.",
        _rfc(8693, "4.4"),
    ),
    "cnf": (
        "Confirmation",
        "The key the presenter must prove it holds (proof of possession).",
        _rfc(7800, "3.1"),
    ),
    "sid": (
        "Session ID",
        "The user's session at the issuer, used for logout.",
        ("OpenID Connect Front-Channel Logout 1.0, section 3", _FRONT_CHANNEL),
    ),
    "roles": (
        "Roles",
        "Roles of the subject, as in SCIM.",
        _rfc(9068, "2.2.3.1"),
    ),
    "groups": ("Groups", "Groups of the subject.", _rfc(9068, "2.2.3.1")),
    "entitlements": ("Entitlements", "Entitlements of the subject.", _rfc(9068, "2.2.3.1")),
}


def _claims() -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    for name, (title, text, section, is_time) in _REGISTERED.items():
        table[name] = _entry(title, text, _rfc(7519, section), is_time)
    for name, (title, text, is_time) in _OIDC_ID_TOKEN.items():
        table[name] = _entry(title, text, _oidc("IDToken", "section 2 (ID Token)"), is_time)
    for name, text in _OIDC_STANDARD.items():
        title = name.replace("_", " ").capitalize()
        where = _oidc("StandardClaims", "section 5.1 (Standard Claims)")
        table[name] = _entry(title, text, where, name == "updated_at")
    for name, (title, text, where) in _OAUTH.items():
        table[name] = _entry(title, text, where)
    return table


CLAIMS: dict[str, Entry] = _claims()


_PRIVATE_CLAIM = Entry(
    "Private claim",
    "Not a registered or common claim: its meaning is agreed between the issuer and the "
    "services that read it.",
    "RFC 7519 section 4.3",
    "https://www.rfc-editor.org/rfc/rfc7519#section-4.3",
)
_UNKNOWN_HEADER = Entry(
    "Unregistered header parameter",
    "Not a parameter of RFC 7515: verifiers ignore it unless it is listed in crit.",
    "RFC 7515 section 4.3",
    "https://www.rfc-editor.org/rfc/rfc7515#section-4.3",
)


def describe(parsed: ParsedToken, *, now: float, time: TimeReport | None = None) -> Explanation:
    """One row per header parameter and per claim, in the token's order, with its meaning.

    `time`, the token's time report, saves working out its claims' dates a second time.
    """
    header = parsed.header if isinstance(parsed.header, dict) else {}
    payload = parsed.payload if isinstance(parsed.payload, dict) else {}
    known: dict[str, TimeClaim | None] = {}
    if time is not None:
        known = {"exp": time["exp"], "nbf": time["nbf"], "iat": time["iat"]}
    return {
        "header": [
            _row(name, value, HEADER, _UNKNOWN_HEADER, now) for name, value in header.items()
        ],
        "payload": [
            _row(name, value, CLAIMS, _PRIVATE_CLAIM, now, known.get(name))
            for name, value in payload.items()
        ],
    }


def lookup(name: str, part: str = "payload") -> EntryData | None:
    """The glossary entry for a header parameter (`part="header"`) or claim, if there is one."""
    entry = (HEADER if part == "header" else CLAIMS).get(name)
    return entry.to_dict() if entry is not None else None


def _row(
    name: str,
    value: Any,
    table: dict[str, Entry],
    fallback: Entry,
    now: float,
    known: TimeClaim | None = None,
) -> ExplainRow:
    entry = table.get(name)
    shown = entry or fallback
    row: ExplainRow = {
        "name": name,
        "known": entry is not None,
        "title": shown.title,
        "description": shown.description,
        "source": shown.source,
        "url": shown.url,
    }
    if entry is not None and entry.is_time:
        row["time"] = time_info(value, now, known)
    return row


def time_info(value: Any, now: float, known: TimeClaim | None = None) -> TimeInfo | None:
    """A NumericDate as UTC text and relative words; None when it is not a number, or a number
    too large for any date. `known` is the same claim as the time report read it, if it did."""
    if not is_time_number(value):
        return None
    if known is not None and known["value"] is value and "relative" in known:
        utc, when = known.get("utc"), known["relative"]
    else:
        utc, when = utc_text(value), relative(value, now)
    return {
        "value": value,
        "utc": utc,
        "relative": when,
        "milliseconds": value >= MILLISECONDS_FROM,
    }
