"""The time claims `exp`, `nbf` and `iat`: every problem with them, in dates and in words."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

from ..codes import EXPIRED, IAT_FUTURE, INVALID_NUMERICDATE, MILLISECONDS, NOT_YET_VALID

TIME_CLAIMS = ("exp", "nbf", "iat")
_UNITS = (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
#: A NumericDate from this one on (the year 5138) is almost certainly milliseconds, not seconds.
MILLISECONDS_FROM = 100_000_000_000


def is_time_number(value: Any) -> bool:
    """True for a JSON number that times can be computed with: not a boolean, not NaN, and within
    a float's range (an integer of 309 digits is beyond it, and converting it would overflow)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and abs(value) <= sys.float_info.max
    )


def digit_count(value: int) -> str:
    """How many digits an integer has, in words: '309 digits'."""
    try:
        return f"{len(str(abs(value)))} digits"
    except ValueError:  # beyond Python's int-to-text limit: JSON text never holds one
        return "thousands of digits"


def duration(seconds: float) -> str:
    """A length of time in words, to the two largest units: '3 minutes', '1 day 4 hours'."""
    remaining = int(abs(seconds))
    if remaining == 0:
        return "0 seconds"
    words: list[str] = []
    for name, size in _UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            words.append(f"{count} {name}{'s' if count != 1 else ''}")
        elif words:
            break
        if len(words) == 2:
            break
    return " ".join(words)


def relative(value: float, now: float) -> str:
    """'in 59 minutes', '3 minutes ago' or 'now'."""
    delta = value - now
    if int(abs(delta)) == 0:
        return "now"
    return f"in {duration(delta)}" if delta > 0 else f"{duration(delta)} ago"


def utc_text(value: float) -> str | None:
    """'2026-11-28 16:52:44 UTC', or None when the value is beyond any calendar."""
    try:
        moment = datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def check_times(payload: Any, *, now: float, leeway: float = 0) -> dict[str, Any]:
    """Check `exp`, `nbf` and `iat` against `now`, reporting every problem, not only the first."""
    claims = payload if isinstance(payload, dict) else {}
    result: dict[str, Any] = {
        "now": now,
        "now_utc": utc_text(now),
        "leeway": leeway,
        "problems": [],
    }
    invalid = False
    for name in TIME_CLAIMS:
        if name not in claims:
            result[name] = None
            continue
        info, problems = _claim_info(name, claims[name], now, leeway)
        result[name] = info
        result["problems"].extend(problems)
        invalid = invalid or (
            name != "iat" and any(p["code"] == INVALID_NUMERICDATE for p in problems)
        )
    codes = {problem["code"] for problem in result["problems"]}
    if invalid:
        result["status"] = "invalid"
    elif EXPIRED in codes:
        result["status"] = "expired"
    elif NOT_YET_VALID in codes:
        result["status"] = "not_yet_valid"
    elif result["exp"] is None:
        result["status"] = "no_exp"
    else:
        result["status"] = "valid"
    result["message"] = _status_message(result)
    return result


def _claim_info(
    name: str, value: Any, now: float, leeway: float
) -> tuple[dict[str, Any], list[dict[str, str]]]:
    info: dict[str, Any] = {"value": value}
    if not is_time_number(value):
        if isinstance(value, int) and not isinstance(value, bool):
            problem = (
                f"{name} is a number too large for any date ({digit_count(value)}). A NumericDate "
                "is seconds since 1970: 10 digits today."
            )
        else:
            kind = "a string" if isinstance(value, str) else type(value).__name__
            problem = f"{name} must be a number of seconds since 1970 (a NumericDate), not {kind}."
        info["text"] = problem
        return info, [{"code": INVALID_NUMERICDATE, "claim": name, "message": problem}]
    info["utc"] = utc_text(value)
    info["relative"] = relative(value, now)
    when = info["utc"] or "beyond any calendar date"
    problems: list[dict[str, str]] = []
    if name == "exp":
        if now >= value + leeway:
            info["text"] = f"Expired {info['relative']} ({when})"
            message = f"The token expired {info['relative']}."
            problems.append({"code": EXPIRED, "message": message})
        elif now >= value:
            info["text"] = (
                f"Expired {info['relative']} ({when}), accepted within the {leeway:g}-second leeway"
            )
        else:
            info["text"] = f"Expires {info['relative']} ({when})"
    elif name == "nbf":
        if value > now + leeway:
            info["text"] = f"Not valid before {when} ({info['relative']})"
            problems.append(
                {
                    "code": NOT_YET_VALID,
                    "message": f"The token is not valid for another {duration(value - now)}.",
                }
            )
        else:
            info["text"] = f"Valid since {when} ({info['relative']})"
    else:
        info["text"] = f"Issued {info['relative']} ({when})"
        if value > now + leeway:
            problems.append(
                {
                    "code": IAT_FUTURE,
                    "message": f"iat is {duration(value - now)} in the future: the issuer's "
                    "clock may be ahead of this one.",
                }
            )
    if value >= MILLISECONDS_FROM:
        problems.append(
            {
                "code": MILLISECONDS,
                "message": f"{name} looks like milliseconds ({value}); JWT times are seconds "
                "since 1970. Divide by 1000.",
            }
        )
    for found in problems:
        found["claim"] = name
    return info, problems


def _status_message(result: dict[str, Any]) -> str:
    status = result["status"]
    if status == "invalid":
        invalid = (p for p in result["problems"] if p["code"] == INVALID_NUMERICDATE)
        return str(next(invalid)["message"])
    if status == "not_yet_valid":
        return str(result["nbf"]["text"])
    if status == "no_exp":
        return "No expiry: the token has no exp claim, so it never expires."
    return str(result["exp"]["text"])
