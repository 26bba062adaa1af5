"""The time claims `exp`, `nbf` and `iat`: every problem with them, in dates and in words."""

from __future__ import annotations

import functools
import sys
from datetime import UTC, datetime
from typing import Any, Literal, NotRequired, TypedDict

from ..codes import EXPIRED, IAT_FUTURE, INVALID_NUMERICDATE, MILLISECONDS, NOT_YET_VALID
from .jsontext import OverflowingNumber

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


def calendar_duration(start: float, end: float) -> str:
    """The time between two moments in words, counting whole calendar years (leap days included)
    before the smaller units: '8 years 321 days'. Falls back to `duration` beyond the calendar."""
    earlier, later = sorted((start, end))
    try:
        first = datetime.fromtimestamp(earlier, tz=UTC)
        last = datetime.fromtimestamp(later, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return duration(later - earlier)
    years = last.year - first.year
    anniversary = _add_years(first, years)
    if anniversary > last:
        years -= 1
        anniversary = _add_years(first, years)
    if years <= 0:
        return duration(later - earlier)
    head = f"{years} year{'s' if years != 1 else ''}"
    rest = (last - anniversary).total_seconds()
    # Two units, as `duration` gives: the years and the largest unit of what remains.
    largest = " ".join(duration(rest).split(" ")[:2])
    return f"{head} {largest}" if int(rest) else head


def _add_years(moment: datetime, years: int) -> datetime:
    """The same date `years` later; 29 February becomes 28 February in a common year."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def relative(value: float, now: float) -> str:
    """'in 59 minutes', '3 minutes ago' or 'now'."""
    delta = value - now
    if int(abs(delta)) == 0:
        return "now"
    words = calendar_duration(now, value)
    return f"in {words}" if delta > 0 else f"{words} ago"


@functools.lru_cache(maxsize=256)
def utc_text(value: float) -> str | None:
    """'2026-11-28 16:52:44 UTC', or None when the value is beyond any calendar.

    Kept for the last few values: every keystroke asks again for the same token's times.
    """
    try:
        moment = datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


#: The overall verdict on a token's times: `time.status` of every decode answer.
TimeStatus = Literal["valid", "expired", "not_yet_valid", "no_exp", "invalid", "unknown"]


class TimeClaim(TypedDict):
    """One of `exp`, `nbf` and `iat`: its value and, for a number, its date in words."""

    value: Any
    utc: NotRequired[str | None]
    relative: NotRequired[str]
    text: str


class TimeProblem(TypedDict):
    """A problem with a time claim: a stable code, the claim and a message."""

    code: str
    message: str
    claim: str


class TimeReport(TypedDict):
    """The times check: each time claim, every problem, and the overall status in words."""

    now: float
    now_utc: str | None
    leeway: float
    problems: list[TimeProblem]
    exp: TimeClaim | None
    nbf: TimeClaim | None
    iat: TimeClaim | None
    status: TimeStatus
    message: str


def check_times(payload: Any, *, now: float, leeway: float = 0) -> TimeReport:
    """Check `exp`, `nbf` and `iat` against `now`, reporting every problem, not only the first."""
    claims = payload if isinstance(payload, dict) else {}
    infos: dict[str, TimeClaim | None] = {}
    problems: list[TimeProblem] = []
    invalid = False
    for name in TIME_CLAIMS:
        if name not in claims:
            infos[name] = None
            continue
        info, found = _claim_info(name, claims[name], now, leeway)
        infos[name] = info
        problems.extend(found)
        invalid = invalid or (
            name != "iat" and any(p["code"] == INVALID_NUMERICDATE for p in found)
        )
    codes = {problem["code"] for problem in problems}
    if invalid:
        status: TimeStatus = "invalid"
    elif EXPIRED in codes:
        status = "expired"
    elif NOT_YET_VALID in codes:
        status = "not_yet_valid"
    elif infos["exp"] is None:
        status = "no_exp"
    else:
        status = "valid"
    return {
        "now": now,
        "now_utc": utc_text(now),
        "leeway": leeway,
        "problems": problems,
        "exp": infos["exp"],
        "nbf": infos["nbf"],
        "iat": infos["iat"],
        "status": status,
        "message": _status_message(status, problems, infos),
    }


def _claim_info(
    name: str, value: Any, now: float, leeway: float
) -> tuple[TimeClaim, list[TimeProblem]]:
    if not is_time_number(value):
        if isinstance(value, int) and not isinstance(value, bool):
            problem = (
                f"{name} is a number too large for any date ({digit_count(value)}). A NumericDate "
                "is seconds since 1970: 10 digits today."
            )
        elif isinstance(value, OverflowingNumber):
            problem = (
                f"{name} is the number {value}, which overflows a 64-bit float (the largest is "
                "about 1.8e308), so no date has it. A NumericDate is seconds since 1970: 10 "
                "digits today."
            )
        else:
            kind = "a string" if isinstance(value, str) else type(value).__name__
            problem = f"{name} must be a number of seconds since 1970 (a NumericDate), not {kind}."
        return {"value": value, "text": problem}, [
            {"code": INVALID_NUMERICDATE, "claim": name, "message": problem}
        ]
    utc = utc_text(value)
    when_relative = relative(value, now)
    when = utc or "beyond any calendar date"
    problems: list[TimeProblem] = []
    if name == "exp":
        if now >= value + leeway:
            text = f"Expired {when_relative} ({when})"
            message = f"The token expired {when_relative}."
            problems.append({"code": EXPIRED, "message": message, "claim": name})
        elif now >= value:
            text = f"Expired {when_relative} ({when}), accepted within the {leeway:g}-second leeway"
        else:
            text = f"Expires {when_relative} ({when})"
    elif name == "nbf":
        if value > now + leeway:
            text = f"Not valid before {when} ({when_relative})"
            problems.append(
                {
                    "code": NOT_YET_VALID,
                    "message": f"The token is not valid for another {duration(value - now)}.",
                    "claim": name,
                }
            )
        else:
            text = f"Valid since {when} ({when_relative})"
    else:
        text = f"Issued {when_relative} ({when})"
        if value > now + leeway:
            problems.append(
                {
                    "code": IAT_FUTURE,
                    "message": f"iat is {duration(value - now)} in the future: the issuer's "
                    "clock may be ahead of this one.",
                    "claim": name,
                }
            )
    if value >= MILLISECONDS_FROM:
        problems.append(
            {
                "code": MILLISECONDS,
                "message": f"{name} looks like milliseconds ({value}); JWT times are seconds "
                "since 1970. Divide by 1000.",
                "claim": name,
            }
        )
    return {"value": value, "utc": utc, "relative": when_relative, "text": text}, problems


def _status_message(
    status: TimeStatus, problems: list[TimeProblem], infos: dict[str, TimeClaim | None]
) -> str:
    if status == "invalid":
        return next(p["message"] for p in problems if p["code"] == INVALID_NUMERICDATE)
    claim = infos["nbf"] if status == "not_yet_valid" else infos["exp"]
    if status == "no_exp" or claim is None:
        return "No expiry: the token has no exp claim, so it never expires."
    return claim["text"]


def unread_times(*, now: float, leeway: float = 0) -> TimeReport:
    """The times check of a token whose payload could not be read: nothing is known about them."""
    return {
        "now": now,
        "now_utc": utc_text(now),
        "leeway": leeway,
        "problems": [],
        "exp": None,
        "nbf": None,
        "iat": None,
        "status": "unknown",
        "message": "Unknown: the payload could not be read, so its times cannot be checked.",
    }
