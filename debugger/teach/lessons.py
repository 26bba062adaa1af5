"""Guided lessons, in order: a few paragraphs each, and one task done in the debugger itself.

A lesson's task lists goals; the page checks each one from what the debugger shows (the answers
it renders, the keys it generates, the tokens it decrypts), each goal by the check of the same
name in static/lesson.js. A lesson may bring samples of its own (a token, a key): the page loads
one only when the learner presses its button. Progress is kept in the browser only: which
lessons are done, never a token or a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from .demo import DEMO_SECRET

#: A token for the lessons to look at: HS256, signed with the demo secret shown on the main page.
#: Made as a tutorial would: its `exp` was computed but never put in the payload.
SAMPLE_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJhbGljZSIsInJvbGUiOiJyZWFkZXIiLCJpYXQiOjE3MDAwMDAwMDB9."
    "lvBeCD5dqNurI6d17tsgyusW5HZ5X93LMGDR04quAbs"
)
#: Signed with the demo secret; it expired 15 minutes after it was issued, in November 2023.
EXPIRED_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiJhbGljZSIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAwOTAwfQ."
    "M0__tUjTnDwAiUB5m9kkwkpSBxxgIJgtCKyVeUPQYQ8"
)
#: Signed with the demo secret by https://issuer.example for https://billing.example.
BILLING_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9iaWxsaW5nLmV4YW1wbGUiLCJzdWIi"
    "OiJhbGljZSIsImlhdCI6MTcwMDAwMDAwMH0."
    "14w9niDVVAQxnpn21fCMjHxOdiGREZhyAneO7MMPEQM"
)
#: EdDSA, kid "2024-01": signed by the key in ISSUER_KEY_SET, which the rotation retired.
ROTATED_OUT_TOKEN = (
    "eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCIsImtpZCI6IjIwMjQtMDEifQ."
    "eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwic3ViIjoiYWxpY2UiLCJpYXQiOjE3MDAwMDAwMDB9."
    "whfxwzii8wjGIOnLVZ_RgObu_38BKdVss9fogVcs0_wvt0Ca99QX-o1cPBsU4dFrRB0DuZT3gz3YhBsE7sxJAw"
)
ISSUER_KEY_SET = """{"keys": [
  {"kty": "OKP", "crv": "Ed25519", "x": "ekO0cOmPwMmFp0EQGMBxKv9ILSLJ_Kmf7soYHuzXnyo",
   "kid": "2024-01", "use": "sig", "alg": "EdDSA"}
]}"""
#: The issuer's key set after the rotation: a new key, and the old one is gone.
ROTATED_KEY_SET = """{"keys": [
  {"kty": "OKP", "crv": "Ed25519", "x": "jFRSl2qEt8w_B3JJlRA36vtClUwU11nHYCKnF4AI1gU",
   "kid": "2024-07", "use": "sig", "alg": "EdDSA"}
]}"""
#: dir + A256GCM with JWE_SECRET: the claims {"sub": "alice", "email": "alice@example.com"}.
ENCRYPTED_TOKEN = (
    "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..nWs1VEzgRk8HWblP."
    "MOgdI0dPZqzogjj5B-F_AA8CvZ4TORJe-UvbcIBu61gAPEFjKYlD0P4gtA.EsshFAxRPv6WemJGryZ3hg"
)
JWE_SECRET = "a-lesson-key-of-thirty-two-bytes"


@dataclass(frozen=True)
class Goal:
    """One thing to do in the debugger; `check` names its check in static/lesson.js."""

    check: str
    text: str


@dataclass(frozen=True)
class Sample:
    """What a button of the lesson puts into the debugger: a token, a key, or both."""

    button: str
    token: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Task:
    """The interactive step of a lesson, done in the debugger and checked by the page."""

    instructions: str
    goals: tuple[Goal, ...]
    samples: tuple[Sample, ...] = ()


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    task: Task
    example: str = ""
    wrong_example: str = ""


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        "three-parts",
        "The three parts of a JWT",
        (
            "A signed JWT is three base64url parts joined by dots: the header (which algorithm "
            "and key), the payload (the claims), and the signature over the first two.",
            "base64url is an encoding, not encryption: anyone holding the token can read the "
            "header and the payload. Decoding one by hand takes two steps: base64url to bytes "
            "(- and _ stand for + and /, the = padding is left off), then the bytes, UTF-8 "
            "text, read as JSON.",
        ),
        Task(
            "Load the sample token. Copy its middle part (between the two dots) from the "
            "encoded token into the lesson's decoder, read the claims, then name what you read.",
            (
                Goal("sample-decoded", "The sample token is decoded in the debugger."),
                Goal("part-decoded", "You decoded the token's middle part by hand."),
                Goal("sub-named", "You typed the value of its sub claim."),
                Goal("alg-named", "You typed the algorithm named in its first part."),
            ),
            (Sample("Load the sample token", token=SAMPLE_TOKEN),),
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
            "Change one character of a signed token and the signature no longer fits. Whoever "
            "holds the key can sign a changed payload anew: that is why the key must stay "
            "secret.",
        ),
        Task(
            "Load the sample token with its secret. Change one character of the middle part in "
            "the encoded token and watch the signature fail. Then load the sample again and, in "
            "the decoded claims, change the role from reader to admin: the debugger signs the "
            "edit anew with the secret.",
            (
                Goal("sample-verified", "The sample token verifies with its secret."),
                Goal("tampered", "A changed payload with the old signature fails to verify."),
                Goal("resigned-admin", "A token with role admin, signed anew, verifies."),
            ),
            (Sample("Load the sample token and its secret", token=SAMPLE_TOKEN, key=DEMO_SECRET),),
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
        Task(
            "Open Key tools and generate one key of each kind. With a key pair, sign the token "
            "with it, then use its public part: the token still verifies, but an edit of the "
            "claims cannot be signed with the public key.",
            (
                Goal("generated-hmac", "An HMAC secret (HS256, HS384 or HS512) generated."),
                Goal("generated-rsa", "An RSA key pair (RS… or PS…) generated."),
                Goal("generated-ec", "An EC key pair (ES…) generated."),
                Goal("generated-eddsa", "An EdDSA key pair generated."),
                Goal("verified-with-public", "A token verified with a public key alone."),
                Goal("public-cannot-sign", "An edit refused: a public key cannot sign."),
            ),
        ),
    ),
    Lesson(
        "times",
        "Times: exp, nbf and iat",
        (
            "exp (expires), nbf (not before) and iat (issued at) are NumericDates: whole seconds "
            "since 1970-01-01 UTC, not milliseconds. A token is refused after exp and before "
            "nbf; iat only says when it was made.",
            "Verifiers allow a little clock skew (leeway), usually a minute or less: a token "
            "that expired 30 seconds ago still passes with a leeway of 60.",
        ),
        Task(
            "Load the sample token: it expired in 2023. Change its exp in the decoded claims so "
            "that it expires five minutes from now (the lesson shows the current NumericDate).",
            (
                Goal("expired-seen", "The debugger shows the sample token as expired."),
                Goal("expires-in-five", "A token that verifies and expires in about 5 minutes."),
            ),
            (Sample("Load the sample token and its secret", token=EXPIRED_TOKEN, key=DEMO_SECRET),),
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
        Task(
            "The sample token was issued for https://billing.example. In Explain, under Claim "
            "checks, play your own API: expect the audience https://api.example and watch the "
            "valid signature get refused. Then also expect the issuer the token names.",
            (
                Goal("billing-verified", "The sample token verifies with its secret."),
                Goal("audience-refused", "Claim check failed: the audience is not yours."),
                Goal("issuer-checked", "The expected issuer matches the token's iss."),
            ),
            (Sample("Load the sample token and its secret", token=BILLING_TOKEN, key=DEMO_SECRET),),
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
        Task(
            "Load the token with the issuer's key set: the key whose kid matches verifies it. "
            "Then the issuer rotates its key: put the new set in the key box and see the old "
            "token refused, its kid no longer in the set.",
            (
                Goal("set-verified", "The token verifies with a key from the JWK Set."),
                Goal("kid-missing", "After the rotation, the token's kid is not in the set."),
            ),
            (
                Sample(
                    "Load the token and the issuer's key set",
                    token=ROTATED_OUT_TOKEN,
                    key=ISSUER_KEY_SET,
                ),
                Sample("Rotate: put the new key set in the key box", key=ROTATED_KEY_SET),
            ),
        ),
    ),
    Lesson(
        "jwe-jws",
        "JWE versus JWS",
        (
            "A JWS (three parts) is signed: readable by all, changeable by none. A JWE (five "
            "parts) is encrypted: only the key holder can read it. Use JWE only when the claims "
            "must stay secret from the client that carries them.",
            "Encryption hides the claims, not everything: the protected header (alg, enc, kid) "
            "stays readable, and so does the token's size.",
        ),
        Task(
            "Load the encrypted token without its key: the debugger reads its header but not its "
            "claims. Then put the key in the key box and decrypt it.",
            (
                Goal("header-readable", "Without the key: alg and enc read, the claims hidden."),
                Goal("decrypted", "With the key: the token decrypted and its claims shown."),
            ),
            (
                Sample("Load the encrypted token", token=ENCRYPTED_TOKEN, key=""),
                Sample("Put its key in the key box", key=JWE_SECRET),
            ),
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
        Task(
            "The sample token was made by tutorial code: its exp never reached the payload. Load "
            "it, add an exp an hour ahead in the decoded claims, then open Explain, then "
            "“Code: PyJWT, Flask and curl”: the code the debugger writes does it right.",
            (
                Goal("no-exp-seen", "The debugger warns that the token never expires."),
                Goal("exp-added", "The token, signed anew with exp, verifies."),
                Goal(
                    "code-right",
                    "The generated code passes algorithms=[...] and uses @jwt_required().",
                ),
            ),
            (
                Sample(
                    "Load the tutorial's token and its secret", token=SAMPLE_TOKEN, key=DEMO_SECRET
                ),
            ),
        ),
        wrong_example="import pyjwt  # ModuleNotFoundError: the module is jwt\n"
        "import datetime\n\n"
        "exp = datetime.datetime.utcnow() + datetime.timedelta(hours=1)\n"
        'token = jwt.encode({"sub": "alice"}, JWT().create_signing_key(), "HS256")  # exp?\n'
        "claims = jwt.decode(token, key)  # no algorithms: refused by PyJWT 2\n\n"
        "@app.get('/me')\n@jwt_required  # flask-jwt-extended 4: this protects nothing\n"
        "def me(): ...",
        example="import jwt\nfrom datetime import datetime, timedelta, timezone\n\n"
        'payload = {"sub": "alice", "exp": datetime.now(timezone.utc) + timedelta(hours=1)}\n'
        'token = jwt.encode(payload, secret, algorithm="HS256")\n'
        'claims = jwt.decode(token, secret, algorithms=["HS256"])\n\n'
        "@app.get('/me')\n@jwt_required()\ndef me(): ...",
    ),
)


def lesson_named(slug: str | None) -> Lesson | None:
    """The lesson with this slug, or None for any other text (a mistyped or hostile one)."""
    return next((lesson for lesson in LESSONS if lesson.slug == slug), None)


def next_lesson(lesson: Lesson) -> Lesson | None:
    """The lesson after `lesson`, or None after the last one."""
    position = LESSONS.index(lesson)
    return LESSONS[position + 1] if position + 1 < len(LESSONS) else None
