"""Guided lessons, in order: short texts, each with one step the page checks.

The page keeps progress in the browser only (which lessons are done, never a token or a key).
A step is a question with choices (`answer` is the index of the right one) or a short answer
typed in (`accepted` lists the answers taken, compared without case or surrounding spaces).
"""

from __future__ import annotations

from dataclasses import dataclass

#: A token for the lessons to look at: HS256, signed with the demo secret shown on the main page.
SAMPLE_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJhbGljZSIsInJvbGUiOiJyZWFkZXIiLCJpYXQiOjE3MDAwMDAwMDB9."
    "lvBeCD5dqNurI6d17tsgyusW5HZ5X93LMGDR04quAbs"
)


@dataclass(frozen=True)
class Step:
    """The interactive step of a lesson."""

    question: str
    choices: tuple[str, ...] = ()
    answer: int = 0
    accepted: tuple[str, ...] = ()
    explanation: str = ""


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    step: Step
    example: str = ""


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "three-parts",
        "The three parts of a JWT",
        (
            "A signed JWT is three base64url parts joined by dots: the header (which algorithm "
            "and key), the payload (the claims), and the signature over the first two.",
            "base64url is an encoding, not encryption: anyone holding the token can read the "
            "header and the payload. Paste the sample token into the debugger to see them.",
        ),
        Step(
            "Decode the sample token below. What is the value of its sub claim?",
            accepted=("alice",),
            explanation='The payload is {"sub": "alice", "role": "reader", ...}: '
            "readable by anyone, signed or not.",
        ),
        example=SAMPLE_TOKEN,
    ),
    Lesson(
        "signature",
        "What a signature proves",
        (
            "A valid signature proves that whoever holds the key made exactly these header and "
            "payload bytes. It does not hide them, and it says nothing about whether the claims "
            "are still true, or meant for you: that is what the time, audience and issuer checks "
            "are for.",
        ),
        Step(
            "The signature of a token checks out. Which statement is true?",
            choices=(
                "Nobody else can read the payload.",
                "The payload was not changed since the key holder signed it.",
                "The token has not expired.",
            ),
            answer=1,
            explanation="Integrity and origin only: secrecy needs JWE, freshness needs exp.",
        ),
    ),
    Lesson(
        "key-types",
        "Key types",
        (
            "HS256 uses one shared secret to sign and to verify: everyone who can verify can also "
            "forge. RS256, PS256, ES256 and EdDSA use a key pair: the private key signs, the "
            "public key only verifies, so it can be published.",
            "An HMAC secret must be long and random (32 bytes for HS256), never a word.",
        ),
        Step(
            "A service must let other services verify its tokens without being able to make "
            "them. Which algorithm fits?",
            choices=("HS256", "RS256 or ES256", "none"),
            answer=1,
            explanation="With a key pair, verifiers get only the public key.",
        ),
    ),
    Lesson(
        "times",
        "Times: exp, nbf and iat",
        (
            "exp (expires), nbf (not before) and iat (issued at) are NumericDates: whole seconds "
            "since 1970-01-01 UTC, not milliseconds. Verifiers allow a little clock skew "
            "(leeway), usually a minute or less.",
        ),
        Step(
            "A token has exp 1700000000. In which year does it expire?",
            accepted=("2023",),
            explanation="1700000000 seconds after 1970 is 14 November 2023.",
        ),
    ),
    Lesson(
        "audience-issuer",
        "Audience and issuer",
        (
            "iss names who made the token; aud names who it is for. A verifier checks both "
            "against the values it expects, or a token meant for another service of the same "
            "issuer would be accepted too.",
        ),
        Step(
            "Your API is https://api.example. A token validly signed by your issuer has aud "
            "https://billing.example. What should your API do?",
            choices=("Accept it: the signature is valid.", "Refuse it: it is not meant for you."),
            answer=1,
            explanation="PyJWT: jwt.decode(..., audience='https://api.example').",
        ),
    ),
    Lesson(
        "jwks-kid",
        "JWKS and kid",
        (
            "An issuer publishes its public keys as a JWK Set (jwks.json). The header's kid says "
            "which of them signed the token, so keys can be rotated.",
            "The verifier looks kid up in the set it fetched from its configured URL. It never "
            "fetches a URL the token names (jku, x5u), never trusts a key inside the token (jwk) "
            "and never builds a file path from kid.",
        ),
        Step(
            'A token\'s header has kid "../../dev/null". What should a verifier do?',
            choices=(
                "Read the key from that file.",
                "Look it up in its known keys, find nothing, refuse the token.",
            ),
            answer=1,
            explanation="The kid-traversal lab shows what happens otherwise.",
        ),
    ),
    Lesson(
        "jwe-jws",
        "JWE versus JWS",
        (
            "A JWS (three parts) is signed: readable by all, changeable by none. A JWE (five "
            "parts) is encrypted: only the key holder can read it. Use JWE only when the claims "
            "must stay secret from the client that carries them.",
        ),
        Step(
            "How many dot-separated parts does a JWE in compact form have?",
            accepted=("5", "five"),
            explanation="Header, encrypted key, IV, ciphertext and tag.",
        ),
    ),
    Lesson(
        "tutorial-mistakes",
        "Mistakes copied from tutorials",
        (
            "The package is installed as PyJWT but imported as jwt: `import pyjwt` fails.",
            "PyJWT has no JWT().create_signing_key(): pass the secret or the private key to "
            "jwt.encode.",
            "An exp computed into a variable but never put in the payload means the token never "
            "expires.",
            "flask-jwt-extended 4 needs @jwt_required() with parentheses.",
            "jwt.decode without algorithms=[...] is refused by PyJWT 2; take the list from your "
            "configuration, never from the token's header.",
        ),
        Step(
            "Which line decodes a token safely with PyJWT?",
            choices=(
                "jwt.decode(token, key)",
                'jwt.decode(token, key, algorithms=["RS256"])',
                'jwt.decode(token, key, algorithms=[jwt.get_unverified_header(token)["alg"]])',
            ),
            answer=1,
            explanation="The algorithm list comes from you; the header's alg is attacker input.",
        ),
        example='import jwt\n\nclaims = jwt.decode(token, public_key, algorithms=["RS256"], '
        'audience="https://api.example")',
    ),
)
