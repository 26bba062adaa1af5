"""Working code that does what the debugger just did: PyJWT, a Flask endpoint, and curl.

Every value from the token or the request (claim names and values, header values, the checks,
the URL, the secret, the key) is written as a Python or shell literal (`repr`, `shlex.quote`),
never pasted in raw and never into a comment: claim values are hostile text. Comments are fixed
text. `repr` escapes every character that is not printable (line breaks, U+2028, bidi controls),
so no value can end a line or hide code; a shell cannot be given such characters safely, so no
curl command is written for a token or URL that holds them.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pprint import pformat
from typing import Any, NotRequired, TypedDict

from ..codes import (
    ALGORITHMS_FROM_KEY,
    CREATE_SIGNING_KEY,
    EXP_NOT_IN_PAYLOAD,
    JWT_REQUIRED_PARENTHESES,
    MODULE_NAME,
    UTCNOW_DEPRECATED,
)
from ..jose.algorithms import ALGORITHMS, algorithms_for
from ..jose.claims import ClaimChecks
from ..jose.keys import Key
from ..jose.times import is_time_number
from ..jose.tokens import NoteData, ParsedToken

#: Where the generated Flask app listens, and so where the curl command sends the token.
DEFAULT_URL = "http://127.0.0.1:5000/protected"

#: What the curl snippet says instead of a command when the token or URL cannot be pasted safely.
CURL_REFUSED = (
    "# The token or the URL holds control or invisible characters (a line break, a bidi\n"
    "# control, an escape). A terminal acts on them when they are pasted, and no HTTP header can\n"
    "# carry them, so no curl command is given for this token.\n"
)
# Key text written between triple quotes: PEM as `cryptography` writes it, nothing else.
_PEM_TEXT = re.compile(r"-----BEGIN [A-Z ]+-----\n[A-Za-z0-9+/=\n]+\n-----END [A-Z ]+-----")

MISTAKES = (
    {
        "code": MODULE_NAME,
        "message": "The package is PyJWT (pip install pyjwt) but the module is jwt: write "
        "`import jwt`. `import pyjwt` fails, and the unrelated PyPI package called jwt has "
        "another API.",
    },
    {
        "code": CREATE_SIGNING_KEY,
        "message": "PyJWT has no JWT().create_signing_key(). Pass the secret (str or bytes) or a "
        "PEM key straight to jwt.encode() and jwt.decode().",
    },
    {
        "code": EXP_NOT_IN_PAYLOAD,
        "message": "An expiry computed into a variable does nothing until it is a claim: put it "
        'in the payload, payload["exp"] = now + timedelta(hours=1), before jwt.encode().',
    },
    {
        "code": UTCNOW_DEPRECATED,
        "message": "datetime.utcnow() is deprecated (Python 3.12) and returns a naive time. Use "
        "datetime.now(tz=timezone.utc); PyJWT turns aware datetimes into NumericDates.",
    },
    {
        "code": JWT_REQUIRED_PARENTHESES,
        "message": "In flask-jwt-extended 4 the decorator is called: @jwt_required(), with "
        "parentheses. @jwt_required without them (version 3 style) does not protect the view.",
    },
    {
        "code": ALGORITHMS_FROM_KEY,
        "message": "jwt.decode() needs algorithms=[...]: take it from your own configuration and "
        "key, never from the token's header (that is how alg:none and key confusion work).",
    },
)


@dataclass(frozen=True)
class CodeInputs:
    """What the code needs: the token, the key as the user gave it, and the checks asked for."""

    parsed: ParsedToken
    key: Key | None
    key_text: str = ""
    secret_encoding: str = "utf-8"
    checks: ClaimChecks = ClaimChecks()
    leeway: float = 0
    url: str = DEFAULT_URL
    detached_payload: str | None = None  # the content of a detached payload, as the user gave it


class GeneratedCode(TypedDict):
    """The algorithms to allow, code that verifies the token the same way, and its pitfalls."""

    algorithms: list[str]
    python: str
    flask: str
    curl: str
    mistakes: list[NoteData]


class _FlaskJwtConfig(TypedDict):
    """The flask-jwt-extended settings the Flask code writes, in the order it writes them."""

    JWT_TOKEN_LOCATION: list[str]
    JWT_ALGORITHM: str
    JWT_DECODE_ALGORITHMS: list[str]
    JWT_DECODE_AUDIENCE: NotRequired[Any]
    JWT_DECODE_ISSUER: NotRequired[str]
    JWT_DECODE_LEEWAY: NotRequired[int]
    JWT_IDENTITY_CLAIM: NotRequired[str]


def generate(inputs: CodeInputs) -> GeneratedCode:
    """Python (PyJWT), Flask (flask-jwt-extended 4) and curl code for this token and key."""
    algorithms = choose_algorithms(inputs.parsed, inputs.key)
    return {
        "algorithms": algorithms,
        "python": python_code(inputs, algorithms),
        "flask": flask_code(inputs, algorithms),
        "curl": curl_command(inputs.parsed.token, inputs.url),
        "mistakes": [{"code": item["code"], "message": item["message"]} for item in MISTAKES],
    }


def choose_algorithms(parsed: ParsedToken, key: Key | None) -> list[str]:
    """The algorithms to allow, from the key: the token's alg only when the key fits it."""
    alg = parsed.header.get("alg") if parsed.header else None
    # The token's own name, even one PyJWT lacks (RFC 9864's Ed25519): jwt.decode() compares the
    # header's alg with this list, and _register_lines() teaches PyJWT the name.
    if key is None:
        return [alg] if isinstance(alg, str) and alg in ALGORITHMS else ["HS256"]
    if isinstance(alg, str) and key.unfit_reason(alg) is None:
        return [alg]
    names: list[str] = []
    for name in algorithms_for(key.kind, key.curve):
        if _pyjwt_name(name) not in names:
            names.append(_pyjwt_name(name))
    return names


def _pyjwt_name(alg: str) -> str:
    spec = ALGORITHMS.get(alg)
    return spec.pyjwt_name or spec.name if spec is not None else alg


def _register_lines(algorithms: list[str]) -> list[str]:
    """Lines that teach PyJWT an algorithm name it does not know (it verifies them as EdDSA)."""
    implementations: list[str] = []
    lines: list[str] = []
    for name in algorithms:
        spec = ALGORITHMS.get(name)
        if spec is None or not spec.pyjwt_name:
            continue
        implementation = type(spec.implementation).__name__
        if implementation not in implementations:
            implementations.append(implementation)
        # The table's own names, never the token's text, go into the comment.
        known = f"PyJWT knows {spec.name} as {spec.pyjwt_name!r}"
        lines += [
            f"# {known}; the token names the curve (RFC 9864).",
            f"if {spec.name!r} not in get_default_algorithms():",
            f"    jwt.register_algorithm({spec.name!r}, {implementation}())",
        ]
    if not lines:
        return []
    names = ", ".join([*implementations, "get_default_algorithms"])
    return [f"from jwt.algorithms import {names}", *lines]


def _key_lines(
    inputs: CodeInputs, name: str, private_name: str = "private_key"
) -> tuple[list[str], str | None]:
    """Lines that define the verifying key as `name`, and the signing key's name if there is one."""
    key = inputs.key
    if key is None:
        return [f'{name} = "paste your secret or public key here"'], None
    if key.kind == "secret":
        if key.source.startswith("secret ("):
            text = inputs.key_text
            encoded = {
                "utf-8": f"{text!r}",
                "base64": f"base64.b64decode({text!r})",
                "base64url": "base64.urlsafe_b64decode(_b64url + '=' * (-len(_b64url) % 4))",
                "hex": f"bytes.fromhex({''.join(text.split())!r})",
            }[inputs.secret_encoding]
            lines = [f"_b64url = {''.join(text.split())!r}"] if "_b64url" in encoded else []
            return [*lines, f"{name} = {encoded}"], name
        return [f"{name} = bytes.fromhex({key.material.hex()!r})  # the secret of your JWK"], name
    public_pem = (key.public_pem() or "").strip()
    lines = []
    if not key.source.startswith("PEM"):
        lines.append("# Your key, written as PEM.")
    lines.append(f"{name} = {_text_literal(public_pem)}")
    if not key.private:
        return lines, None
    private_pem = (key.private_pem() or "").strip()
    lines.append(f"{private_name} = {_text_literal(private_pem)}")
    return lines, private_name


def _text_literal(pem: str) -> str:
    """A Python literal for PEM text: triple-quoted when it is plain PEM, else `repr`."""
    if _PEM_TEXT.fullmatch(pem):
        return f'"""{pem}\n"""'
    return repr(pem + "\n")


def _decode_arguments(inputs: CodeInputs, algorithms: list[str]) -> list[str]:
    claims = inputs.parsed.payload if isinstance(inputs.parsed.payload, dict) else {}
    arguments = [f"algorithms={algorithms!r},  # from your key, never from the token's header"]
    audience = inputs.checks.audience
    if audience is None and _is_audience(claims.get("aud")):
        audience = claims["aud"]
        arguments.append(f"audience={audience!r},  # the token's aud: use your service's name")
    elif audience is not None:
        arguments.append(f"audience={audience!r},")
    issuer = inputs.checks.issuer
    if issuer is None and isinstance(claims.get("iss"), str):
        issuer = claims["iss"]
    if issuer is not None:
        arguments.append(f"issuer={issuer!r},")
    if inputs.checks.subject is not None:
        arguments.append(f"subject={inputs.checks.subject!r},")
    if inputs.leeway:
        arguments.append(f"leeway={inputs.leeway!r},  # seconds of clock difference allowed")
    required = list(inputs.checks.required)
    if "exp" in claims and "exp" not in required:
        required.insert(0, "exp")
    if required:
        arguments.append(f"options={{'require': {required!r}}},")
    return arguments


def _is_audience(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value)
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def python_code(inputs: CodeInputs, algorithms: list[str]) -> str:
    """A script that verifies the token with PyJWT, then signs a fresh one if the key can."""
    parsed = inputs.parsed
    if _special_payload(parsed):
        return _jws_code(inputs, algorithms)
    key_lines, signing_name = _key_lines(inputs, "key")
    imports = [
        "import json",
        "from datetime import datetime, timedelta, timezone",
        "",
        "import jwt",
        *_register_lines(algorithms),
    ]
    if any("base64." in line for line in key_lines):
        imports.insert(0, "import base64")
    lines = [
        "# pip install pyjwt cryptography  (the package is PyJWT; the module is jwt)",
        *imports,
        "",
        f"token = {parsed.token!r}",
        *key_lines,
        "",
        "try:",
        "    claims = jwt.decode(",
        "        token,",
        "        key,",
        *[f"        {argument}" for argument in _decode_arguments(inputs, algorithms)],
        "    )",
        '    print("Verified. Claims:")',
        "    print(json.dumps(claims, indent=2))",
        "except jwt.ExpiredSignatureError:",
        '    print("Rejected: ExpiredSignatureError: the token has expired")',
        "except jwt.InvalidTokenError as err:",
        '    print(f"Rejected: {type(err).__name__}: {err}")',
    ]
    lines.extend(_encode_lines(parsed, algorithms[0], signing_name))
    return "\n".join(lines) + "\n"


def _special_payload(parsed: ParsedToken) -> bool:
    """True for a payload that jwt.decode() cannot read: unencoded (RFC 7797) or detached."""
    return len(parsed.segments) == 3 and (parsed.unencoded_payload or parsed.segments[1] == "")


def _jws_code(inputs: CodeInputs, algorithms: list[str]) -> str:
    """A script for an unencoded or detached payload: PyJWT's JWS layer, the content given apart."""
    parsed = inputs.parsed
    key_lines, _ = _key_lines(inputs, "key")
    content = inputs.detached_payload
    lines = [
        "# pip install pyjwt cryptography  (the package is PyJWT; the module is jwt)",
        *(["import base64"] if any("base64." in line for line in key_lines) else []),
        "import jwt",
        *_register_lines(algorithms),
        "",
        f"token = {parsed.token!r}",
        *key_lines,
    ]
    call = "jwt.api_jws.decode_complete({}, key, algorithms={!r}{})"
    if parsed.segments[1] != "":  # unencoded and attached: the payload part is the content
        lines += [
            "# b64: false (RFC 7797): the payload part is the content itself, not base64url.",
            "# PyJWT takes such content apart from the token, as detached_payload.",
            'header, content, signature = token.split(".")',
            "content = content.encode()",
        ]
        verify = call.format('f"{header}..{signature}"', algorithms, ", detached_payload=content")
    else:
        # surrogatepass: a lone surrogate (from a JSON escape) stays bytes, not a crash.
        given = (
            repr(content.encode("utf-8", "surrogatepass"))
            if content is not None
            else 'b"the detached content"'
        )
        lines += [
            "# The payload part is empty: the content travels apart (RFC 7515 Appendix F).",
            f"content = {given}",
        ]
        if parsed.unencoded_payload:
            verify = call.format("token", algorithms, ", detached_payload=content")
        else:
            lines += [
                "# The signature covers base64url(content): put it back in the token.",
                "# (Content you were given as base64url text already: encoded = content.decode().)",
                'header, _, signature = token.split(".")',
                'encoded = base64.urlsafe_b64encode(content).rstrip(b"=").decode()',
                "",
            ]
            if "import base64" not in lines:
                lines.insert(1, "import base64")
            verify = call.format('f"{header}.{encoded}.{signature}"', algorithms, "")
    lines += [
        "",
        "try:",
        f"    verified = {verify}",
        '    print("Verified. Content:")',
        '    print(verified["payload"].decode("utf-8", "replace"))',
        "except jwt.InvalidTokenError as err:",
        '    print(f"Rejected: {type(err).__name__}: {err}")',
    ]
    return "\n".join(lines) + "\n"


def _encode_lines(parsed: ParsedToken, alg: str, signing_name: str | None) -> list[str]:
    payload = parsed.payload if isinstance(parsed.payload, dict) else {}
    template = {name: value for name, value in payload.items() if name not in ("exp", "iat", "nbf")}
    lifetime = _lifetime(payload)
    headers = {
        name: value
        for name, value in (parsed.header or {}).items()
        if name not in ("alg", "typ", "b64", "crit")
    }
    # The header values are a statement of their own, so the commented-out call below holds
    # only names of ours: no value from the token is ever written into a comment.
    call = f"jwt.encode(payload, {signing_name or 'private_key'}, algorithm={alg!r}"
    call += ", headers=headers)" if headers else ")"
    lines = [
        "",
        "# Sign a new token with the same claims. exp must be put IN the payload to count.",
        "now = datetime.now(tz=timezone.utc)  # not datetime.utcnow(), which is deprecated",
        f"payload = {_literal(template, 'payload = ')}",
        'payload["iat"] = now',
        f'payload["exp"] = now + timedelta(seconds={lifetime})',
    ]
    if headers:
        lines.append(f"headers = {_literal(headers, 'headers = ')}")
    if signing_name is None:
        lines += [
            "# Signing needs the private key (or the secret); a public key only verifies:",
            f"# new_token = {call}",
        ]
    else:
        lines += [f"new_token = {call}", 'print("New token:", new_token)']
    return lines


def _lifetime(payload: dict[str, Any]) -> int:
    exp, iat = payload.get("exp"), payload.get("iat")
    if not (is_time_number(exp) and is_time_number(iat)):
        return 3600
    lifetime = float(exp) - float(iat)  # type: ignore[arg-type]
    return int(lifetime) if 0 < lifetime <= 366 * 86400 else 3600


def _literal(value: Any, prefix: str) -> str:
    """`value` as a Python literal (pformat writes every string with repr), indented under
    `prefix`."""
    text = pformat(value, sort_dicts=False, width=88)
    return text.replace("\n", "\n" + " " * len(prefix))


def flask_code(inputs: CodeInputs, algorithms: list[str]) -> str:
    """A Flask app whose endpoint, protected by flask-jwt-extended 4, accepts this token."""
    if _special_payload(inputs.parsed):
        return (
            "# flask-jwt-extended reads JWTs whose payload is base64url JSON inside the token.\n"
            "# This token's payload is unencoded (b64: false) or detached, so it cannot protect\n"
            "# an endpoint with it; verify it with PyJWT's JWS layer (the Python code).\n"
        )
    claims = inputs.parsed.payload if isinstance(inputs.parsed.payload, dict) else {}
    key = inputs.key
    key_lines, _ = _key_lines(inputs, "KEY", "PRIVATE_KEY")
    asymmetric = key is not None and key.kind != "secret"
    config: _FlaskJwtConfig = {
        "JWT_TOKEN_LOCATION": ["headers"],
        # flask-jwt-extended tells keys from secrets by PyJWT's names (EdDSA, not Ed25519).
        "JWT_ALGORITHM": _pyjwt_name(algorithms[0]),
        "JWT_DECODE_ALGORITHMS": algorithms,
    }
    audience = inputs.checks.audience
    if audience is None and _is_audience(claims.get("aud")):
        audience = claims["aud"]
    if audience is not None:
        config["JWT_DECODE_AUDIENCE"] = audience
    issuer = inputs.checks.issuer if inputs.checks.issuer is not None else claims.get("iss")
    if isinstance(issuer, str):
        config["JWT_DECODE_ISSUER"] = issuer
    if inputs.leeway:
        config["JWT_DECODE_LEEWAY"] = int(inputs.leeway)
    identity, identity_note = _identity_claim(claims)
    config["JWT_IDENTITY_CLAIM"] = identity
    registrations = _register_lines(algorithms)
    lines = [
        "# pip install flask flask-jwt-extended  (version 4: @jwt_required() has parentheses)",
        "from flask import Flask, jsonify",
        "from flask_jwt_extended import JWTManager, get_jwt, jwt_required",
        *(["import jwt", *registrations] if registrations else []),
        "",
        *key_lines,
        "",
        "app = Flask(__name__)",
        '# Tokens come in the Authorization header: "Authorization: Bearer <token>".',
    ]
    lines += [f"app.config[{name!r}] = {value!r}" for name, value in config.items()]
    lines.append(f"app.config[{'JWT_PUBLIC_KEY' if asymmetric else 'JWT_SECRET_KEY'!r}] = KEY")
    if asymmetric and key is not None and key.private:
        lines.append('app.config["JWT_PRIVATE_KEY"] = PRIVATE_KEY  # to create tokens too')
    if identity_note:
        lines.append(identity_note)
    if "sub" in claims and not isinstance(claims["sub"], str):
        lines.append(
            "# This token's sub is not a string, which RFC 7519 requires; accept it anyway:"
        )
        lines.append('app.config["JWT_VERIFY_SUB"] = False')
    refresh = "refresh=True" if claims.get("type") == "refresh" else ""
    lines += [
        "jwt_manager = JWTManager(app)",
        "",
        "",
        '@app.get("/protected")',
        f"@jwt_required({refresh})",
        "def protected():",
        "    return jsonify(claims=get_jwt())",
        "",
        "",
        'if __name__ == "__main__":',
        "    app.run(port=5000)",
    ]
    return "\n".join(lines) + "\n"


def _identity_claim(claims: dict[str, Any]) -> tuple[str, str]:
    """The claim flask-jwt-extended takes as the identity, and a comment about it.

    The name is a claim name, hostile text: it is written only as the JWT_IDENTITY_CLAIM literal,
    never into the comment.
    """
    if "sub" in claims:
        return "sub", ""
    for name in ("user_id", "uid", "email", "client_id", "azp", *claims):
        if name in claims:
            return name, (
                "# The token has no sub: JWT_IDENTITY_CLAIM names the claim to use instead."
            )
    return "sub", "# flask-jwt-extended needs an identity claim (sub); this token has none."


def curl_command(token: str, url: str = DEFAULT_URL) -> str:
    """A curl command that sends the token the way an API expects it.

    `shlex.quote` makes each value one argument, whatever quotes or `$(...)` it holds. A control
    or invisible character would still act when pasted into a terminal (a carriage return runs
    the line, Ctrl-C or an escape sequence takes over), so such a token or URL gets no command.
    """
    if not (token.isprintable() and url.isprintable()):
        return CURL_REFUSED
    header = shlex.quote(f"Authorization: Bearer {token}")
    return f"curl -i -H {header} {shlex.quote(url)}\n"
