"""The JSON API: read the request as its declaration in `requests` says, call the core, answer."""

from __future__ import annotations

import threading
import time

from flask import Blueprint, current_app

from ..analysis import (
    attacks,
    extract,
    jwe_report,
    key_recovery,
    keyinfo,
    report,
    scan,
    weak_secrets,
)
from ..errors import RECOVERY_BUSY, DebuggerError
from ..jose import certs, conversions, dpop, jwe_encrypt, keygen, sign
from ..net import jwks, probe
from ..teach import explain
from .context import json_body, served
from .fields import read
from .requests import (
    AttacksRequest,
    Clock,
    DecodeRequest,
    DecryptRequest,
    DpopCheckRequest,
    EncodeRequest,
    EncryptRequest,
    ExplainRequest,
    ExtractRequest,
    JwksFetchRequest,
    KeyCertificateRequest,
    KeyConvertRequest,
    KeyGenerateRequest,
    KeyInspectRequest,
    ProbeAttacksRequest,
    ProbeRequest,
    RecoverKeyRequest,
    SecretSearchRequest,
    VerifyKey,
    VerifyRequest,
)

bp = Blueprint("api", __name__, url_prefix="/api")


def _clock(asked: Clock) -> dict[str, float]:
    return {"now": time.time() if asked.now is None else asked.now, "leeway": asked.leeway}


def _leave_out(asked: DecodeRequest, answer: report.DecodeReport) -> None:
    """Take out of `answer` what the request asked to leave out (the page does, for big tokens)."""
    if asked.compact_answer:
        answer.pop("parts", None)


@bp.post("/decode")
def decode() -> report.DecodeReport:
    asked = read(DecodeRequest, json_body())
    answer = report.decode_report(asked.token, checks=asked.checks(), **_clock(asked))
    _leave_out(asked, answer)
    return answer


@bp.post("/verify")
def verify() -> report.VerifyReport:
    body = json_body()
    asked = read(VerifyRequest, body)
    try:
        answer = _verify(asked, read(VerifyKey, body))
    except DebuggerError as err:
        # The page asks for this, so that a keystroke in the key box costs one request, not two.
        if err.status != 400 or not asked.report_key_error:
            raise
        answer = report.key_error_report(asked.token, err, checks=asked.checks(), **_clock(asked))
    _leave_out(asked, answer)
    return answer


def _verify(asked: VerifyRequest, key: VerifyKey) -> report.VerifyReport:
    embedded = key.use_embedded_key
    result = report.verify_report(
        asked.token,
        certs.embedded_key_text(asked.token, embedded) if embedded else key.key or "",
        secret_encoding=key.secret_encoding,
        algorithms=key.algorithms,
        detached_payload=key.detached_payload,
        checks=asked.checks(),
        passphrase=key.passphrase,
        **_clock(asked),
    )
    if embedded:
        result["notes"].append(certs.embedded_key_note(embedded))
    return result


@bp.post("/explain")
def explain_signature() -> explain.ExplainReport:
    asked = read(ExplainRequest, json_body())
    return explain.explain_report(
        asked.token,
        asked.key,
        secret_encoding=asked.secret_encoding,
        algorithms=asked.algorithms,
        detached_payload=asked.detached_payload,
        checks=asked.checks(),
        leeway=asked.leeway,
        url=asked.url,
    )


@bp.post("/encode")
def encode() -> report.EncodeReport:
    asked = read(EncodeRequest, json_body())
    encoded = sign.encode(
        asked.header_value(),
        asked.payload_value(),
        asked.key,
        secret_encoding=asked.secret_encoding,
        detached=asked.detached,
        payload_raw=asked.payload_raw is not None,
        jws_payload=asked.jws_payload,
        passphrase=asked.passphrase,
    )
    return report.encode_report(encoded)


@bp.post("/keys/inspect")
def keys_inspect() -> keyinfo.KeyInspection:
    asked = read(KeyInspectRequest, json_body())
    now = _clock(asked)["now"]
    return keyinfo.inspect_key(
        asked.key, secret_encoding=asked.secret_encoding, now=now, passphrase=asked.passphrase
    )


@bp.post("/keys/generate")
def keys_generate() -> keygen.GeneratedKey:
    asked = read(KeyGenerateRequest, json_body())
    return keygen.generate_key(asked.alg, asked.size, asked.curve)


@bp.post("/keys/convert")
def keys_convert() -> conversions.Converted:
    asked = read(KeyConvertRequest, json_body())
    return conversions.convert(asked.key_texts(), asked.to, secret_encoding=asked.secret_encoding)


@bp.post("/keys/certificate")
def keys_certificate() -> certs.SelfSignedCertificate:
    asked = read(KeyCertificateRequest, json_body())
    return certs.self_signed_certificate(
        asked.key,
        now=time.time(),
        subject=asked.subject,
        secret_encoding=asked.secret_encoding,
        passphrase=asked.passphrase,
    )


@bp.post("/jwks/fetch")
def jwks_fetch() -> jwks.FetchedJwks:
    asked = read(JwksFetchRequest, json_body())
    # Listening beyond loopback, the debugger must not be anyone's way into private networks.
    limits = jwks.FetchLimits(
        own_port=current_app.config.get("SERVER_PORT"),
        allow_private_networks=served().loopback_only,
    )
    return jwks.fetch_jwks(url=asked.url, issuer=asked.issuer, limits=limits)


@bp.post("/attacks")
def forge_attacks() -> attacks.ForgedVariants:
    asked = read(AttacksRequest, json_body())
    return attacks.forge_variants(asked.token, asked.public_key, jku_url=asked.jku_url)


#: A recovery keeps a core busy for up to RECOVERY_SECONDS: the server runs one at a time.
RECOVERY_SLOT = threading.BoundedSemaphore(1)


@bp.post("/recover-key")
def recover_key() -> key_recovery.RecoveredKey:
    asked = read(RecoverKeyRequest, json_body())
    if not RECOVERY_SLOT.acquire(blocking=False):
        raise DebuggerError(
            RECOVERY_BUSY,
            "A key recovery is already running, and the server runs one at a time: try again "
            "when it ends, or use the command line (jwt-debugger recover-key).",
            status=429,
        )
    try:
        return key_recovery.recover_in_subprocess(asked.token, asked.second_token)
    finally:
        RECOVERY_SLOT.release()


@bp.post("/secret-search")
def secret_search() -> weak_secrets.SearchReport:
    asked = read(SecretSearchRequest, json_body())
    return weak_secrets.search_report(
        asked.token,
        asked.wordlist_base64,
        work_budget=weak_secrets.SEARCH_WORK_BUDGET,
        deadline=time.monotonic() + weak_secrets.SEARCH_SECONDS,
    )


@bp.post("/decrypt")
def decrypt() -> jwe_report.DecryptReport:
    asked = read(DecryptRequest, json_body())
    return jwe_report.decrypt_report(
        asked.token,
        asked.key,
        inner_key=asked.inner_key,
        secret_encoding=asked.secret_encoding,
        checks=asked.checks(),
        **_clock(asked),
    )


@bp.post("/encrypt")
def encrypt() -> jwe_encrypt.Encrypted:
    asked = read(EncryptRequest, json_body())
    signing = asked.signing()
    return jwe_encrypt.encrypt_token(
        asked.header,
        asked.key,
        payload=asked.payload,
        plaintext=asked.plaintext,
        sign_header=None if signing is None else signing[0],
        sign_key=None if signing is None else signing[1],
        secret_encoding=asked.secret_encoding,
        serialization=asked.serialization,
    )


def _probe_limits() -> jwks.FetchLimits:
    # As for a key-set fetch: never the debugger itself, no private network beyond loopback.
    return probe.probe_limits(current_app.config.get("SERVER_PORT"), served().loopback_only)


@bp.post("/probe/preview")
def probe_preview() -> probe.Previewed:
    asked = read(ProbeRequest, json_body())
    return probe.preview(asked.spec(), time.time())


@bp.post("/probe")
def probe_send() -> probe.ProbeAnswer:
    asked = read(ProbeRequest, json_body())
    return probe.send_probe(asked.spec(), _probe_limits(), time.time())


@bp.post("/probe/attacks")
def probe_attacks() -> scan.ScanAnswer:
    asked = read(ProbeAttacksRequest, json_body())
    spec = asked.confirmed()
    now = time.time()
    sent = probe.preview(spec, now)["sent"]  # a request that cannot be made fails before any
    return scan.scan(
        asked.token,
        probe.sender(spec, _probe_limits(), now),
        key=asked.key,
        jku_url=asked.jku_url,
        now=now,
        only=asked.attacks,
        baseline_status=asked.baseline_status,
        label=(sent["method"], sent["url"]),
    )


@bp.post("/extract")
def extract_tokens() -> extract.Extracted:
    asked = read(ExtractRequest, json_body())
    return extract.extract(asked.text, time.time())


@bp.post("/dpop/check")
def dpop_check() -> dpop.DpopCheck:
    asked = read(DpopCheckRequest, json_body())
    now = _clock(asked)["now"]
    return dpop.check_proof(
        asked.proof, now=now, access_token=asked.token, method=asked.method, url=asked.url
    )
