"""The explain answer: how the signature is checked, step by step, and the code that does it."""

from __future__ import annotations

from typing import TypedDict

from ..jose.claims import ClaimChecks
from ..jose.keys import read_key
from ..jose.pasted import parse
from ..jose.verify import check_signature
from .codegen import DEFAULT_URL, CodeInputs, GeneratedCode, generate
from .walkthrough import NoWalkthrough, Walkthrough, walkthrough


class ExplainReport(TypedDict):
    """The answer of /api/explain: the signature walkthrough and the generated code."""

    walkthrough: Walkthrough | NoWalkthrough
    code: GeneratedCode


def explain_report(
    token: str,
    key_text: str | None,
    *,
    secret_encoding: str = "utf-8",
    algorithms: list[str] | None = None,
    detached_payload: str | None = None,
    checks: ClaimChecks | None = None,
    leeway: float = 0,
    url: str | None = None,
) -> ExplainReport:
    """The heavier parts, computed when asked: the signature walkthrough and the code."""
    parsed = parse(token)
    key = None
    steps: Walkthrough | NoWalkthrough = {
        "available": False,
        "valid": False,
        "message": "Paste a key or secret to see how the signature is checked.",
    }
    if key_text:
        ring = read_key(key_text, secret_encoding)
        verdict = check_signature(
            parsed, ring, algorithms=algorithms, detached_payload=detached_payload
        )
        key = verdict.key or ring.keys[0]
        steps = walkthrough(parsed, verdict, detached_payload=detached_payload)
    inputs = CodeInputs(
        parsed,
        key,
        key_text or "",
        secret_encoding,
        checks or ClaimChecks(),
        leeway,
        url or DEFAULT_URL,
        detached_payload,
    )
    return {"walkthrough": steps, "code": generate(inputs)}
