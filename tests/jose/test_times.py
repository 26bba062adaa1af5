"""times: exp, nbf and iat checked against an injected `now`, in dates and in words."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from debugger.jose.times import check_times, duration, relative, utc_text

NOW = 1_700_000_000  # 2023-11-14 22:13:20 UTC
MINUTE = 60
HOUR = 3600
DAY = 86400
UTC_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC")


def utc(value: float) -> str:
    return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def codes(result) -> list[str]:
    return [problem["code"] for problem in result["problems"]]


@pytest.mark.parametrize(
    ("payload", "status"),
    (
        ({"exp": NOW + HOUR}, "valid"),
        ({"exp": NOW + HOUR, "nbf": NOW - HOUR, "iat": NOW - HOUR}, "valid"),
        ({"exp": NOW - 1}, "expired"),
        ({"exp": NOW + HOUR, "nbf": NOW + MINUTE}, "not_yet_valid"),
        ({"sub": "1"}, "no_exp"),
        ({}, "no_exp"),
        ({"nbf": NOW - MINUTE, "iat": NOW - MINUTE}, "no_exp"),
        ({"exp": "tomorrow"}, "invalid"),
        ({"exp": NOW + HOUR, "nbf": True}, "invalid"),
    ),
)
def test_check_times_gives_status(payload, status):
    result = check_times(payload, now=NOW)
    assert result["status"] == status
    assert result["message"]
    assert result["now"] == NOW
    assert result["now_utc"] == utc(NOW)


@pytest.mark.parametrize("payload", ("not a claims set", ["exp"], None, 1_700_000_000))
def test_check_times_treats_a_payload_that_is_not_an_object_as_having_no_times(payload):
    result = check_times(payload, now=NOW)
    assert result["status"] == "no_exp"
    assert result["exp"] is None and result["nbf"] is None and result["iat"] is None
    assert result["problems"] == []


def test_check_times_reports_every_problem_at_once():
    payload = {"exp": NOW - MINUTE, "nbf": NOW + MINUTE, "iat": NOW + 2 * MINUTE}
    result = check_times(payload, now=NOW)
    assert codes(result) == ["expired", "not_yet_valid", "iat_future"]
    assert [p["claim"] for p in result["problems"]] == ["exp", "nbf", "iat"]
    assert result["status"] == "expired"


def test_check_times_reports_not_yet_valid_when_not_also_expired():
    result = check_times({"exp": NOW + HOUR, "nbf": NOW + MINUTE}, now=NOW)
    assert codes(result) == ["not_yet_valid"]
    assert result["message"] == result["nbf"]["text"]


def test_check_times_reports_iat_in_the_future_without_changing_status():
    result = check_times({"exp": NOW + HOUR, "iat": NOW + 5}, now=NOW)
    assert codes(result) == ["iat_future"]
    assert result["status"] == "valid"


@pytest.mark.parametrize(
    ("exp", "leeway", "status"),
    (
        (NOW, 0, "expired"),  # RFC 7519 4.1.4: now >= exp means expired
        (NOW + 1, 0, "valid"),
        (NOW - 1, 0, "expired"),
        (NOW - 30, 30, "expired"),
        (NOW - 30, 31, "valid"),
        (NOW - 29, 30, "valid"),
        (NOW, 1, "valid"),
    ),
)
def test_leeway_moves_the_exp_boundary(exp, leeway, status):
    result = check_times({"exp": exp}, now=NOW, leeway=leeway)
    assert result["status"] == status
    assert ("expired" in codes(result)) == (status == "expired")
    assert result["leeway"] == leeway


@pytest.mark.parametrize(
    ("nbf", "leeway", "status"),
    (
        (NOW, 0, "valid"),
        (NOW + 1, 0, "not_yet_valid"),
        (NOW - 1, 0, "valid"),
        (NOW + 30, 30, "valid"),
        (NOW + 31, 30, "not_yet_valid"),
        (NOW + 30, 29, "not_yet_valid"),
    ),
)
def test_leeway_moves_the_nbf_boundary(nbf, leeway, status):
    result = check_times({"exp": NOW + DAY, "nbf": nbf}, now=NOW, leeway=leeway)
    assert result["status"] == status
    assert ("not_yet_valid" in codes(result)) == (status == "not_yet_valid")


@pytest.mark.parametrize(("iat", "leeway", "future"), ((NOW + 10, 10, False), (NOW + 11, 10, True)))
def test_leeway_moves_the_iat_boundary(iat, leeway, future):
    result = check_times({"iat": iat}, now=NOW, leeway=leeway)
    assert ("iat_future" in codes(result)) == future


def test_expired_text_says_how_long_ago_and_when():
    exp = NOW - 3 * MINUTE
    result = check_times({"exp": exp}, now=NOW)
    assert result["exp"]["utc"] == utc(exp)
    assert result["exp"]["relative"] == "3 minutes ago"
    assert result["exp"]["text"] == f"Expired 3 minutes ago ({utc(exp)})"
    assert result["message"] == result["exp"]["text"]
    assert result["exp"]["value"] == exp


def test_valid_text_says_when_it_expires():
    exp = NOW + 59 * MINUTE
    result = check_times({"exp": exp}, now=NOW)
    assert result["exp"]["text"] == f"Expires in 59 minutes ({utc(exp)})"
    assert result["message"] == result["exp"]["text"]
    assert result["problems"] == []


def test_not_yet_valid_text_names_the_date():
    nbf = NOW + 2 * HOUR + 5 * MINUTE
    result = check_times({"nbf": nbf}, now=NOW)
    assert result["nbf"]["text"] == f"Not valid before {utc(nbf)} (in 2 hours 5 minutes)"
    assert result["status"] == "not_yet_valid"


def test_valid_since_and_issued_texts():
    result = check_times({"nbf": NOW - DAY, "iat": NOW - DAY}, now=NOW)
    assert result["nbf"]["text"] == f"Valid since {utc(NOW - DAY)} (1 day ago)"
    assert result["iat"]["text"] == f"Issued 1 day ago ({utc(NOW - DAY)})"


def test_no_exp_message_says_it_never_expires():
    result = check_times({"iat": NOW}, now=NOW)
    assert "never expires" in result["message"]


@pytest.mark.parametrize(
    ("value", "expected"),
    (
        (0, "1970-01-01 00:00:00 UTC"),
        (NOW, "2023-11-14 22:13:20 UTC"),
        (951782400, "2000-02-29 00:00:00 UTC"),
        (-1, "1969-12-31 23:59:59 UTC"),
        (NOW + 0.9, "2023-11-14 22:13:20 UTC"),
    ),
)
def test_utc_text_format(value, expected):
    assert utc_text(value) == expected
    assert UTC_FORMAT.fullmatch(expected)


@pytest.mark.parametrize(
    ("seconds", "words"),
    (
        (0, "0 seconds"),
        (0.4, "0 seconds"),
        (1, "1 second"),
        (2, "2 seconds"),
        (59, "59 seconds"),
        (MINUTE, "1 minute"),
        (MINUTE + 1, "1 minute 1 second"),
        (2 * MINUTE + 30, "2 minutes 30 seconds"),
        (HOUR - 1, "59 minutes 59 seconds"),
        (HOUR, "1 hour"),
        (HOUR + MINUTE, "1 hour 1 minute"),
        (2 * HOUR + 2 * MINUTE + 2, "2 hours 2 minutes"),
        (DAY, "1 day"),
        (DAY + HOUR, "1 day 1 hour"),
        (3 * DAY + 4 * HOUR, "3 days 4 hours"),
        (365 * DAY, "1 year"),
        (365 * DAY + 2 * DAY, "1 year 2 days"),
        (2 * 365 * DAY + 5, "2 years"),
        (-180, "3 minutes"),
    ),
)
def test_duration_in_words(seconds, words):
    assert duration(seconds) == words


def test_duration_stops_at_an_empty_unit_after_the_largest():
    # 1 day, 0 hours, 5 minutes: the empty hour unit ends the text.
    assert duration(DAY + 5 * MINUTE) == "1 day"


@pytest.mark.parametrize(
    ("value", "expected"),
    (
        (NOW + 90, "in 1 minute 30 seconds"),
        (NOW - 90, "1 minute 30 seconds ago"),
        (NOW, "now"),
        (NOW + 0.5, "now"),
    ),
)
def test_relative(value, expected):
    assert relative(value, NOW) == expected


@pytest.mark.parametrize(
    ("claim", "value"),
    (
        ("exp", True),
        ("exp", False),
        ("exp", "1700000000"),
        ("exp", None),
        ("exp", [NOW]),
        ("exp", {"at": NOW}),
        ("nbf", True),
        ("nbf", "soon"),
    ),
)
def test_non_numbers_are_invalid_numericdates(claim, value):
    result = check_times({claim: value}, now=NOW)
    assert result["status"] == "invalid"
    assert codes(result) == ["invalid_numericdate"]
    assert result["problems"][0]["claim"] == claim
    assert result["message"] == result["problems"][0]["message"]
    assert result[claim]["value"] == value
    assert "utc" not in result[claim]


def test_an_invalid_iat_is_reported_without_making_the_token_invalid():
    result = check_times({"exp": NOW + HOUR, "iat": "yesterday"}, now=NOW)
    assert codes(result) == ["invalid_numericdate"]
    assert result["problems"][0]["claim"] == "iat"
    assert result["status"] == "valid"


@pytest.mark.parametrize(
    ("claim", "expected"),
    (
        ("exp", ["milliseconds"]),
        # Read as seconds, a millisecond nbf or iat lies far in the future: both are reported.
        ("nbf", ["not_yet_valid", "milliseconds"]),
        ("iat", ["iat_future", "milliseconds"]),
    ),
)
def test_milliseconds_are_detected_beside_what_the_value_means_as_seconds(claim, expected):
    value = (NOW + HOUR) * 1000
    result = check_times({claim: value}, now=NOW)
    assert codes(result) == expected
    assert {problem["claim"] for problem in result["problems"]} == {claim}


def test_expiry_within_the_leeway_says_it_is_accepted():
    result = check_times({"exp": NOW - 10}, now=NOW, leeway=60)
    assert result["status"] == "valid"
    assert result["exp"]["text"].startswith("Expired 10 seconds ago")
    assert "leeway" in result["exp"]["text"]


@pytest.mark.parametrize("value", (float("inf"), float("-inf"), float("nan")))
def test_non_finite_times_are_invalid_not_a_crash(value):
    assert check_times({"exp": value}, now=NOW)["status"] == "invalid"


def test_seconds_in_the_far_future_are_not_taken_for_milliseconds():
    result = check_times({"exp": 99_999_999_999}, now=NOW)
    assert codes(result) == []
    assert result["exp"]["utc"].startswith("5138-")


@pytest.mark.parametrize(
    ("exp", "status"),
    ((NOW + 90.7, "valid"), (NOW - 0.5, "expired"), (NOW + 0.5, "valid"), (NOW * 1.0, "expired")),
)
def test_float_numericdates_are_accepted(exp, status):
    result = check_times({"exp": exp}, now=NOW)
    assert result["status"] == status
    assert result["exp"]["utc"] == utc(exp)


def test_float_now_and_leeway_are_accepted():
    result = check_times({"exp": NOW + 10}, now=NOW + 10.0, leeway=0.25)
    assert result["status"] == "valid"
    result = check_times({"exp": NOW + 10}, now=NOW + 10.25, leeway=0.25)
    assert result["status"] == "expired"


@pytest.mark.parametrize("value", (10**30, 1e300, -1e300, 2**63, -(2**63)))
def test_an_enormous_value_does_not_crash(value):
    result = check_times({"exp": value, "nbf": value, "iat": value}, now=NOW)
    for claim in ("exp", "nbf", "iat"):
        assert result[claim]["utc"] is None
        assert result[claim]["value"] == value
        assert "beyond any calendar date" in result[claim]["text"]
    assert result["status"] in ("valid", "expired", "not_yet_valid")


@pytest.mark.parametrize(
    "value", (10**309, -(10**309), 10**4000), ids=("309 digits", "negative", "4001 digits")
)
@pytest.mark.parametrize("claim", ("exp", "nbf", "iat"))
def test_an_integer_beyond_any_float_is_an_invalid_numericdate_not_an_overflow(claim, value):
    result = check_times({"exp": NOW + HOUR, "iat": NOW - MINUTE, claim: value}, now=NOW)
    assert ("invalid_numericdate", claim) in [(p["code"], p["claim"]) for p in result["problems"]]
    assert result["status"] == ("valid" if claim == "iat" else "invalid")
    for other in {"exp", "iat"} - {claim}:
        assert result[other]["utc"] is not None


def test_an_integer_just_within_a_float_is_a_time_beyond_any_calendar():
    result = check_times({"exp": 10**308}, now=NOW)
    assert result["status"] == "valid" and codes(result) == ["milliseconds"]
    assert result["exp"]["utc"] is None


def test_relative_times_count_calendar_years_with_their_leap_days():
    from datetime import UTC, datetime

    from debugger.jose.times import relative

    start = datetime(2016, 1, 1, tzinfo=UTC).timestamp()
    end = datetime(2024, 11, 17, tzinfo=UTC).timestamp()
    assert relative(start, end) == "8 years 321 days ago"
    assert relative(end, start) == "in 8 years 321 days"
