"""Hands-on labs: tiny APIs with one deliberate flaw each, to break with the debugger's tools.

DELIBERATELY INSECURE. The labs run only on the learner's machine (the web layer serves them
only with `--labs`, only on loopback); each starts from a genuine low-privilege token and is
solved when a forged token reads the admin resource. Progress lives in the process only.
"""

from __future__ import annotations

import base64
import hmac
import inspect
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from ..jose.b64 import b64url
from ..jose.certs import self_signed
from . import lab_verifiers as v
from .lab_verifiers import Claims, KeySetFetcher, LabKeys, LabRefused
from .lessons import LESSONS

Verifier = Callable[[str, LabKeys], Claims]
#: The claim the admin resource wants; the issued tokens carry "user".
ADMIN_ROLE = "admin"
TOKEN_LIFETIME = 3600
WARNING = (
    "This lab is deliberately insecure: its verifier has a flaw on purpose. It runs only on "
    "this machine, for learning. Never copy its code."
)


@dataclass(frozen=True)
class Lab:
    """One lab: its flaw, the way in, and the code before and after the fix."""

    name: str
    title: str
    alg: str
    goal: str
    hints: tuple[str, str, str]
    solution: str
    lesson: str
    vulnerable: Verifier
    fixed: Verifier
    header: tuple[tuple[str, str], ...] = ()
    #: False when the lab serves no jwks.json: its public key must be found another way.
    publishes_key_set: bool = True

    def vulnerable_source(self) -> str:
        return inspect.getsource(self.vulnerable)

    def fixed_source(self) -> str:
        return inspect.getsource(self.fixed)


def _goal(name: str) -> str:
    return (
        f"Read /labs/{name}/admin as the administrator: send a token whose role claim is "
        f'"{ADMIN_ROLE}" as "Authorization: Bearer <token>". Start from the token at '
        f"/labs/{name}/token (role user)."
    )


def _lab(name: str, title: str, alg: str, **fields: Any) -> Lab:
    return Lab(name=name, title=title, alg=alg, goal=_goal(name), **fields)


LABS: tuple[Lab, ...] = (
    _lab(
        "unverified-signature",
        "Unverified signature",
        "HS256",
        hints=(
            "Paste the token into the debugger and change the payload. What does the API check?",
            "Change role to admin: the debugger re-signs with whatever key is in the key box.",
            "Any key will do, because the API never looks at the signature.",
        ),
        solution="Edit the payload to role admin and sign with any secret (/api/encode). The API "
        "decodes with verify_signature off, so the forged claims are believed.",
        lesson="Always verify: jwt.decode with the key and the algorithms list. Reading the "
        "claims without the signature check is for display only, never for decisions.",
        vulnerable=v.vulnerable_unverified,
        fixed=v.fixed_hs256,
    ),
    _lab(
        "flawed-verification",
        "Flawed verification: errors are let through",
        "RS256",
        hints=(
            "The API refuses a signature that does not match. What if the check cannot run?",
            "Look at the attack lab's null-signature variant: an empty signature.",
            "A signature of the wrong length raises an error the verifier swallows.",
        ),
        solution="Take the null-signature variant of a token with role admin (forge_variants): "
        "the length check raises ValueError, the verifier catches every exception but "
        "InvalidSignature, and carries on.",
        lesson="Fail closed: any error while verifying means the token is refused. Let "
        "jwt.decode raise and catch only to answer 401.",
        vulnerable=v.vulnerable_flawed,
        fixed=v.fixed_rs256,
    ),
    _lab(
        "weak-secret",
        "Weak HMAC secret",
        "HS256",
        hints=(
            "The verifier is correct. What about its key?",
            "The debugger tries a list of well-known secrets on every HS256 token it decodes.",
            "Once the secret is found, sign your own token with it.",
        ),
        solution="The secret search (/api/secret-search) finds the secret in the built-in list "
        "of tutorial secrets; sign a role admin token with it (/api/encode).",
        lesson="An HMAC secret must be at least 32 random bytes (secrets.token_bytes(32)), kept "
        "out of code and out of tutorials.",
        vulnerable=v.vulnerable_weak_secret,
        fixed=v.fixed_hs256,
    ),
    _lab(
        "jwk-injection",
        "jwk header injection",
        "ES256",
        hints=(
            "Where does this verifier get its key from?",
            "A JWS header may carry a public key in jwk.",
            "Sign with your own key and put its public half in the header (embedded-jwk).",
        ),
        solution="The attack lab's embedded-jwk variant signs with a fresh key and embeds it; "
        "the verifier trusts the key the token brings.",
        lesson="Verify only with keys you configured. A key inside the token proves nothing.",
        vulnerable=v.vulnerable_jwk,
        fixed=v.fixed_es256,
    ),
    _lab(
        "jku-injection",
        "jku header injection",
        "ES256",
        hints=(
            "The token names where its key set lives: look at jku.",
            "This lab fetches key sets only from this machine. It hosts a key set for you at "
            "/labs/jku-injection/attacker-jwks.json (POST your set there).",
            "Forge with the jku variant pointing at that URL, then publish its attacker_jwks.",
        ),
        solution="forge_variants with jku_url set to this server's attacker-jwks.json; POST the "
        "variant's attacker_jwks there; the verifier fetches it and verifies with your key.",
        lesson="Never fetch keys from a URL taken from the token. Configure the issuer's JWKS "
        "URL, and look kid up only in that set.",
        vulnerable=v.vulnerable_jku,
        fixed=v.fixed_es256,
        header=(("jku", "http://127.0.0.1/labs/jku-injection/jwks.json"), ("kid", "issuer")),
    ),
    _lab(
        "kid-traversal",
        "kid path traversal",
        "HS256",
        hints=(
            "The kid in the header names a file in /srv/keys.",
            "What does ../ do in a path? Is there a file whose content you know?",
            "/dev/null is empty: sign with an empty secret.",
        ),
        solution="The kid-traversal variant sets kid ../../../../../../../dev/null and signs "
        "with an empty secret; the verifier reads the empty file as its key.",
        lesson="kid picks from a fixed table of known keys; never build paths, queries or URLs "
        "from it.",
        vulnerable=v.vulnerable_kid,
        fixed=v.fixed_kid,
        header=(("kid", "main"),),
    ),
    _lab(
        "alg-confusion",
        "Algorithm confusion (RS256 key as HS256 secret)",
        "RS256",
        hints=(
            "The public key is public: /labs/alg-confusion/jwks.json.",
            "What if the header says HS256 and the verifier uses the key it has as the secret?",
            "Paste the public key in the key box and use the key-confusion variant.",
        ),
        solution="forge_variants with the exposed public key: its key-confusion variant is "
        "HS256, signed with the public key's PEM text as the HMAC secret.",
        lesson="Tie the algorithm to the key: algorithms=['RS256'] with an RSA key. PyJWT "
        "refuses to use a PEM public key as an HMAC secret.",
        vulnerable=v.vulnerable_alg_confusion,
        fixed=v.fixed_rs256,
    ),
    _lab(
        "alg-confusion-no-key",
        "Algorithm confusion with no exposed key",
        "RS256",
        hints=(
            "The same flaw as the algorithm-confusion lab, but this API publishes no public key. "
            "Do its tokens give the key away?",
            "For an RSA signature s of the padded hash m, n divides s^e - m. Get two tokens "
            "(press the button twice: each token is new) and take the gcd for both.",
            "Key tools: recover the RSA public key from the two tokens, use it as the key, then "
            "forge the attack lab's key-confusion variant. The API's key file is a BEGIN PUBLIC "
            "KEY (SubjectPublicKeyInfo) PEM with its final newline.",
        ),
        solution="Recover the key from two starting tokens (the key tools, /api/recover-key or "
        "jwt-debugger recover-key): n is the gcd of s^e - m for both signatures, e = 65537. The "
        "verifier's key file is the SubjectPublicKeyInfo PEM (BEGIN PUBLIC KEY, ending in a "
        "newline), the form the attack lab uses: with the recovered key in the key box, its "
        "key-confusion variant is HS256 signed with that PEM text as the secret. The PKCS#1 "
        "form (BEGIN RSA PUBLIC KEY) would give another secret.",
        lesson="A public key is not a secret, and hiding it protects nothing: two signatures "
        "give it away. Tie the algorithm to the key: algorithms=['RS256'] with an RSA key.",
        vulnerable=v.vulnerable_alg_confusion_no_key,
        fixed=v.fixed_rs256_unpublished,
        publishes_key_set=False,
    ),
    _lab(
        "psychic-signature",
        "Psychic signature (CVE-2022-21449)",
        "ES256",
        hints=(
            "ECDSA signatures are two numbers, r and s.",
            "What does the verification equation give when both are zero?",
            "Use the psychic-signature variant: 64 zero bytes.",
        ),
        solution="The psychic-signature variant has r = s = 0. This verifier never checks that "
        "r and s lie in 1..n-1, so 0 is compared with the x of the point at infinity, 0.",
        lesson="ECDSA verification must reject r or s outside 1..n-1; use a maintained library "
        "(cryptography), not a hand-written check.",
        vulnerable=v.vulnerable_psychic,
        fixed=v.fixed_es256,
    ),
    _lab(
        "none-case",
        'alg "none" blocked in lower case only',
        "HS256",
        hints=(
            'This API blocks alg "none". Exactly that string?',
            "Header values are case-sensitive; this verifier's table of checks is not.",
            "Try the None, NONE or nOnE variants.",
        ),
        solution='The alg-None variant: "None" passes the block-list, then matches the '
        '"none" check, which needs no signature.',
        lesson="Allow-list the one algorithm you expect; never block-list.",
        vulnerable=v.vulnerable_none_case,
        fixed=v.fixed_hs256,
    ),
    _lab(
        "x5c-trust",
        "x5c trusted without a chain",
        "ES256",
        hints=(
            "The token carries a certificate in x5c.",
            "Does the verifier check who issued that certificate?",
            "Make your own self-signed certificate, put it in x5c and sign with its key.",
        ),
        solution="In the key tools, generate an ES256 key, put it in the key box and make a "
        "self-signed certificate for it (/api/keys/certificate); put the certificate in x5c and "
        "re-sign. The verifier takes the key from whatever certificate the token brings.",
        lesson="Validate x5c's chain up to a trust anchor you configured (and the name in it), "
        "or ignore x5c and use the issuer's pinned key.",
        vulnerable=v.vulnerable_x5c,
        fixed=v.fixed_x5c,
    ),
)
BY_NAME = {lab.name: lab for lab in LABS}


def make_keys(
    weak_secret: bytes, jwks_url: str | None = None, fetch_key_set: KeySetFetcher | None = None
) -> LabKeys:
    """Fresh keys for one server process; `weak_secret` is a secret anyone could guess."""
    ec_key = ec.generate_private_key(ec.SECP256R1())
    extra: dict[str, Any] = {}
    if jwks_url is not None:
        extra["jwks_url"] = jwks_url
    if fetch_key_set is not None:
        extra["fetch_key_set"] = fetch_key_set
    return LabKeys(
        hmac_secret=secrets.token_bytes(32),
        weak_secret=weak_secret,
        rsa_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        ec_key=ec_key,
        certificate=self_signed(ec_key, "Lab issuer", now=time.time()),
        unpublished_rsa_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
        **extra,
    )


def issue(lab: Lab, keys: LabKeys, *, now: float) -> str:
    """The lab's genuine low-privilege token; each one is new (its own jti)."""
    claims = {
        "sub": "student",
        "role": "user",
        "iat": int(now),
        "exp": int(now) + TOKEN_LIFETIME,
        "jti": secrets.token_hex(8),
    }
    header: dict[str, Any] = dict(lab.header)
    if lab.name == "jku-injection":
        header["jku"] = keys.jwks_url
    if lab.name == "x5c-trust":
        der = keys.certificate.public_bytes(serialization.Encoding.DER)
        header["x5c"] = [base64.b64encode(der).decode()]
    if lab.alg == "HS256":
        secret = keys.weak_secret if lab.name == "weak-secret" else keys.hmac_secret
        return _hs256(claims, header, secret)
    key: Any = {
        "RS256": keys.rsa_key,
        "ES256": keys.ec_key,
    }[lab.alg]
    if not lab.publishes_key_set:
        key = keys.unpublished_rsa_key
    return jwt.encode(claims, key, algorithm=lab.alg, headers=header)


def _hs256(claims: Claims, header: dict[str, Any], secret: bytes) -> str:
    """HS256 by hand: PyJWT warns about short secrets, and the weak one is short on purpose."""
    head = {"alg": "HS256", "typ": "JWT", **header}
    signing_input = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = hmac.digest(secret, signing_input.encode(), "sha256")
    return f"{signing_input}.{b64url(signature)}"


def public_key_set(keys: LabKeys) -> dict[str, list[dict[str, Any]]]:
    """The issuer's public keys, as the labs publish them at jwks.json."""
    rsa_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(keys.rsa_key.public_key(), as_dict=True)
    ec_jwk = jwt.algorithms.ECAlgorithm.to_jwk(keys.ec_key.public_key(), as_dict=True)
    return {
        "keys": [
            {**rsa_jwk, "kid": "issuer-rsa", "use": "sig", "alg": "RS256"},
            {**ec_jwk, "kid": "issuer", "use": "sig", "alg": "ES256"},
        ]
    }


class AdminAnswer(TypedDict):
    """What /labs/<name>/admin answers: granted or not, why, and whether the lab is solved.

    `fixed_refusal` is, once solved, why the fixed verifier refuses the same token."""

    granted: bool
    solved: bool
    message: str
    claims: Claims | None
    fixed_refusal: str | None


def admin(lab: Lab, keys: LabKeys, authorization: str | None) -> tuple[int, AdminAnswer]:
    """Check a request to the lab's admin resource with its deliberately flawed verifier."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return 401, _refusal("Send the token as 'Authorization: Bearer <token>'.")
    try:
        claims = lab.vulnerable(token.strip(), keys)
    except (LabRefused, jwt.InvalidTokenError) as err:
        return 401, _refusal(f"Refused: {str(err)[:200]}")
    except Exception as err:  # the verifier is flawed on purpose; bad input is still a 401
        return 401, _refusal(f"Refused: the token could not be read ({type(err).__name__}).")
    if claims.get("role") != ADMIN_ROLE:
        return 403, {
            "granted": False,
            "solved": False,
            "message": f'The token is accepted, but its role is not "{ADMIN_ROLE}".',
            "claims": claims,
            "fixed_refusal": None,
        }
    return 200, {
        "granted": True,
        "solved": True,
        "message": "Welcome, administrator. The lab is solved: compare the two verifiers.",
        "claims": claims,
        "fixed_refusal": fixed_refusal(lab, keys, token.strip()),
    }


def fixed_refusal(lab: Lab, keys: LabKeys, token: str) -> str | None:
    """Why the lab's fixed verifier refuses `token` (None if it accepts it)."""
    try:
        lab.fixed(token, keys)
    except (LabRefused, jwt.InvalidTokenError) as err:
        return f"{type(err).__name__}: {str(err)[:200]}"
    except Exception as err:  # any failure to verify is a refusal, as in a real service
        return f"{type(err).__name__}: the token could not be read."
    return None


def _refusal(message: str) -> AdminAnswer:
    return {
        "granted": False,
        "solved": False,
        "message": message,
        "claims": None,
        "fixed_refusal": None,
    }


def classroom_summary() -> str:
    """One page for a class: how to start, then every lab with its goal."""
    lines = ["Lessons, in order, at /learn (progress stays in the browser):"]
    lines += [f"{number:2}. {lesson.title}" for number, lesson in enumerate(LESSONS, 1)]
    lines += [
        "",
        "Labs: start the debugger with  python -m debugger --labs  and open /labs/",
        WARNING,
        "",
    ]
    for number, lab in enumerate(LABS, 1):
        lines.append(f"{number:2}. {lab.title} ({lab.alg}) - /labs/{lab.name}/")
        lines.append(f"    {lab.hints[0]}")
    lines += [
        "",
        "Each lab: get the token at /labs/NAME/token, forge one with role admin using the",
        "debugger (decode, attack lab, secret search, encode), and read /labs/NAME/admin.",
        "Three hints, then the solution, are on each lab's page.",
    ]
    return "\n".join(lines) + "\n"
