"""Pure validation rules of directory inputs."""

from __future__ import annotations

import pytest

from careline.directory.model import (
    OpeningHours,
    hours_problems,
    normalise_language,
    normalise_sip_uri,
    speaks,
)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("sip:frontdesk@pbx.example.org", "sip:frontdesk@pbx.example.org"),
        ("SIPS:Bob@Example.org:5061;transport=tls", "sips:Bob@Example.org:5061;transport=tls"),
        ("sip:1001@10.0.0.5", "sip:1001@10.0.0.5"),
        ("sip:alice@[2001:db8::1]:5060", "sip:alice@[2001:db8::1]:5060"),
    ],
)
def test_sip_uris_accepted(raw, canonical):
    assert normalise_sip_uri(raw) == canonical


@pytest.mark.parametrize(
    "raw",
    [
        "sip:pbx.example.org",  # no user
        "frontdesk@pbx.example.org",  # no scheme
        "tel:+13125550142",
        "sip:a@-bad-.example.org",
        "sip:a@10.0.0.999",
        "sip:a@[not:an:ip]",
        "sip:a@host:0",
        "sip:a@host:70000",
        "sip:a b@host",
        "sip:a@host:٥٠٦٠",  # non-ASCII digits
        "sip:\u212a@host",  # Kelvin sign folds to 'k' only under IGNORECASE
    ],
)
def test_sip_uris_refused(raw):
    with pytest.raises(ValueError, match="SIP URI"):
        normalise_sip_uri(raw)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("en", "en"), ("ES", "es"), ("es-mx", "es-MX"), ("zh_TW", "zh-TW"), ("es-419", "es-419")],
)
def test_language_codes(raw, canonical):
    assert normalise_language(raw) == canonical


@pytest.mark.parametrize("raw", ["e", "english", "en-", "en-USA", "12", ""])
def test_bad_language_codes(raw):
    with pytest.raises(ValueError):
        normalise_language(raw)


def test_speaks_matches_primary_language():
    assert speaks(["es-MX"], "es")
    assert speaks(["es"], "es-MX")
    assert not speaks(["en", "fr"], "es")


def hours(*spans: tuple[int, str, str]) -> list[OpeningHours]:
    return [OpeningHours(weekday=d, opens=o, closes=c) for d, o, c in spans]


def test_hours_may_touch_but_not_overlap():
    ok = hours((0, "08:00", "12:00"), (0, "12:00", "17:00"), (1, "08:00", "24:00"))
    assert hours_problems(ok, field="body.hours") == []
    bad = hours((0, "08:00", "17:00"), (0, "09:00", "10:00"), (0, "16:00", "18:00"))
    assert [p.field for p in hours_problems(bad, field="body.hours")] == [
        "body.hours.1",
        "body.hours.2",
    ]


def test_hours_must_end_after_they_start():
    problems = hours_problems(hours((3, "17:00", "09:00")), field="body.hours")
    assert [p.field for p in problems] == ["body.hours.0"]
    assert "split" in problems[0].message


@pytest.mark.parametrize("value", ["8:00", "24:00", "08:60", "0\uff18:00", "08:00:00"])
def test_opening_time_format(value):
    with pytest.raises(ValueError):
        OpeningHours.model_validate({"weekday": 0, "opens": value, "closes": "24:00"}, strict=True)
