"""What the debugger says about a token: report, findings, weak secrets, hints, key details.

The names below are this layer's public surface; everything else in these modules may change.
"""

from .attacks import forge_variants
from .findings import compute_findings, findings_report
from .key_recovery import recover_rsa_key
from .keyinfo import inspect_key
from .report import decode_report, key_error_report, verify_report
from .weak_secrets import find_builtin_secret, find_secret, search_report

__all__ = [
    "compute_findings",
    "decode_report",
    "find_builtin_secret",
    "find_secret",
    "findings_report",
    "forge_variants",
    "inspect_key",
    "key_error_report",
    "recover_rsa_key",
    "search_report",
    "verify_report",
]
