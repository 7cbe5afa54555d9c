"""Messaging's pure rules: reply keywords, quiet hours across DST, SMS segments, statuses."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from careline.messaging.model import (
    Encoding,
    MessageStatus,
    ReplyKeyword,
    classify_reply,
    count_segments,
    is_quiet,
    message_problems,
    next_allowed_send,
    next_status,
    normalise_reply,
    status_from_provider,
)

OUT, IN, HELP, CONFIRM, NONE = (
    ReplyKeyword.opt_out,
    ReplyKeyword.opt_in,
    ReplyKeyword.help,
    ReplyKeyword.confirm,
    ReplyKeyword.none,
)

# ---------------------------------------------------------------- keywords

OPT_OUT_KEYWORDS = [
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPT OUT",
    "OPTOUT",
    "OPT-OUT",
]


def _variants(word: str) -> list[str]:
    return [
        word,
        word.lower(),
        word.title(),
        f"  {word.lower()}  ",
        f"\t{word}\n",
        f"{word}.",
        f"{word}!!",
        f'"{word}"',
        f"{word.lower()} 🙏",
        f"¡{word}?",
        "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in word),  # full-width
    ]


@pytest.mark.parametrize("text", [v for w in OPT_OUT_KEYWORDS for v in _variants(w)])
@pytest.mark.parametrize("opted_out", [False, True])
def test_every_opt_out_keyword_in_every_form_opts_out(text, opted_out):
    assert classify_reply(text, opted_out=opted_out) is OUT


@pytest.mark.parametrize("text", [v for w in ("START", "UNSTOP") for v in _variants(w)])
@pytest.mark.parametrize("opted_out", [False, True])
def test_start_and_unstop_always_opt_in(text, opted_out):
    assert classify_reply(text, opted_out=opted_out) is IN


@pytest.mark.parametrize("text", [v for w in ("HELP", "INFO") for v in _variants(w)])
def test_help_and_info_ask_for_help(text):
    assert classify_reply(text, opted_out=False) is HELP
    assert classify_reply(text, opted_out=True) is HELP


@pytest.mark.parametrize("text", _variants("YES"))
def test_yes_confirms_unless_the_sender_opted_out_then_it_opts_in(text):
    assert classify_reply(text, opted_out=False) is CONFIRM
    assert classify_reply(text, opted_out=True) is IN


@pytest.mark.parametrize("text", ["Y", "y.", "confirm", "CONFIRM!"])
def test_other_confirmation_words_only_confirm(text):
    assert classify_reply(text, opted_out=False) is CONFIRM
    assert classify_reply(text, opted_out=True) is CONFIRM


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP texting me", OUT),
        ("stop please", OUT),
        ("Stop, stop, STOP", OUT),
        ("STOP ALL", OUT),
        ("unsubscribe me now", OUT),
        ("opt out please", OUT),
        ("revoke consent", OUT),
        # Ambiguous in a clinic: these are requests for staff, not opt-outs.
        ("Cancel my appointment", NONE),
        ("end of the week works", NONE),
        ("quit smoking program?", NONE),
        ("please stop", NONE),
        ("I can't stop coughing", NONE),
        ("help I can't breathe", NONE),  # a person in trouble: goes to triage, not a canned reply
        ("Yes please", NONE),
        ("yes, but can we move it to 3pm", NONE),
        ("STOPP", NONE),
        ("S T O P", NONE),
        ("", NONE),
        ("   ", NONE),
        ("!!!", NONE),
        ("🙏", NONE),
        ("Starting to feel better", NONE),
        ("information about my bill", NONE),
    ],
)
def test_longer_replies(text, expected):
    assert classify_reply(text, opted_out=False) is expected


def test_normalisation():
    assert normalise_reply("  opt--out!! ") == "OPT OUT"
    assert normalise_reply("Stop\u00a0\u00a0now") == "STOP NOW"
    assert normalise_reply("…stop…") == "STOP"
    assert normalise_reply("¡\uff33\uff34\uff2f\uff30!") == "STOP"
    assert normalise_reply("STOP!!!stop") == "STOP STOP"


# ---------------------------------------------------------------- quiet hours


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def _local(zone, *args, fold=0):
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold)


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Europe/London"])
@pytest.mark.parametrize(
    ("wall", "allowed"),
    [
        ((8, 0), True),
        ((12, 30), True),
        ((20, 59, 59), True),
        ((21, 0), False),
        ((23, 59), False),
        ((0, 0), False),
        ((7, 59, 59), False),
    ],
)
def test_daytime_is_allowed_and_nights_are_quiet(zone, wall, allowed):
    at = _local(zone, 2026, 6, 15, *wall)
    assert is_quiet(at, zone) is (not allowed)
    if allowed:
        assert next_allowed_send(at, zone) == at
    else:
        nxt = next_allowed_send(at, zone).astimezone(ZoneInfo(zone))
        assert (nxt.hour, nxt.minute, nxt.second) == (8, 0, 0)
        assert nxt > at and nxt - at <= timedelta(hours=11)


def test_new_york_spring_forward_night():
    # 22:00 EST on Sat 7 March 2026; clocks go forward at 02:00 that night.
    at = _local("America/New_York", 2026, 3, 7, 22, 0)
    assert at.utcoffset() == timedelta(hours=-5)
    nxt = next_allowed_send(at, "America/New_York")
    assert nxt == _utc(2026, 3, 8, 12, 0)  # 08:00 EDT (UTC-4), not 13:00 UTC
    assert nxt - at == timedelta(hours=9)  # a short night: ten wall hours, nine real ones


def test_new_york_fall_back_night():
    # 23:30 EDT on Sat 31 October 2026; clocks go back at 02:00 that night.
    at = _local("America/New_York", 2026, 10, 31, 23, 30)
    nxt = next_allowed_send(at, "America/New_York")
    assert nxt == _utc(2026, 11, 1, 13, 0)  # 08:00 EST (UTC-5)
    assert nxt - at == timedelta(hours=9, minutes=30)
    # During the repeated hour (either 01:30) it is still night, and the answer is the same.
    for fold in (0, 1):
        inside = _local("America/New_York", 2026, 11, 1, 1, 30, fold=fold)
        assert is_quiet(inside, "America/New_York")
        assert next_allowed_send(inside, "America/New_York") == _utc(2026, 11, 1, 13, 0)


def test_sydney_dst_ends_in_april_and_starts_in_october():
    # Southern hemisphere: AEDT (UTC+11) ends at 03:00 on Sun 5 April 2026.
    at = _local("Australia/Sydney", 2026, 4, 4, 21, 15)
    assert next_allowed_send(at, "Australia/Sydney") == _utc(2026, 4, 4, 22, 0)  # 08:00 AEST
    # AEST (UTC+10) becomes AEDT at 02:00 on Sun 4 October 2026.
    at = _local("Australia/Sydney", 2026, 10, 3, 23, 0)
    assert next_allowed_send(at, "Australia/Sydney") == _utc(2026, 10, 3, 21, 0)  # 08:00 AEDT
    # Early morning of the change day itself, given in UTC.
    early = _utc(2026, 10, 3, 17, 30)  # 03:30 AEDT
    assert next_allowed_send(early, "Australia/Sydney") == _utc(2026, 10, 3, 21, 0)


def test_the_same_instant_differs_by_recipient_zone():
    at = _utc(2026, 3, 9, 2, 30)  # 22:30 in New York (quiet), 13:30 in Sydney (allowed)
    assert next_allowed_send(at, "America/New_York") == _utc(2026, 3, 9, 12, 0)
    assert next_allowed_send(at, "Australia/Sydney") == at


def test_a_quiet_end_inside_the_dst_gap_gives_the_end_of_the_gap():
    # 02:30 does not exist in New York on 8 March 2026: the first instant after is 03:00 EDT.
    at = _local("America/New_York", 2026, 3, 8, 1, 0)
    nxt = next_allowed_send(at, "America/New_York", quiet_start=time(21), quiet_end=time(2, 30))
    assert nxt == _utc(2026, 3, 8, 7, 0)
    assert nxt.astimezone(ZoneInfo("America/New_York")).hour == 3


def test_custom_quiet_periods():
    zone = "America/Chicago"
    lunch = {"quiet_start": time(12), "quiet_end": time(13)}  # not across midnight
    at = _local(zone, 2026, 6, 15, 12, 15)
    assert next_allowed_send(at, zone, **lunch) == _local(zone, 2026, 6, 15, 13, 0)
    assert next_allowed_send(_local(zone, 2026, 6, 15, 23, 0), zone, **lunch) == _local(
        zone, 2026, 6, 15, 23, 0
    )
    never = {"quiet_start": time(9), "quiet_end": time(9)}  # empty period
    at = _local(zone, 2026, 6, 15, 3, 0)
    assert next_allowed_send(at, zone, **never) == at


def test_quiet_hours_refuse_naive_instants_and_unknown_zones():
    with pytest.raises(ValueError):
        next_allowed_send(datetime(2026, 6, 15, 22, 0), "America/New_York")
    with pytest.raises(ValueError):
        is_quiet(datetime(2026, 6, 15, 22, 0), "America/New_York")
    with pytest.raises(ValueError):
        next_allowed_send(_utc(2026, 6, 15, 22, 0), "Mars/Olympus_Mons")


# ---------------------------------------------------------------- segments


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", Encoding.gsm7, 0, 0),
        ("a", Encoding.gsm7, 1, 1),
        ("x" * 160, Encoding.gsm7, 160, 1),
        ("x" * 161, Encoding.gsm7, 161, 2),
        ("x" * 306, Encoding.gsm7, 306, 2),
        ("x" * 307, Encoding.gsm7, 307, 3),
        ("€" * 80, Encoding.gsm7, 160, 1),  # extension characters cost two septets
        ("€" * 81, Encoding.gsm7, 162, 2),
        ("Über Ñoño: é, à, ß, ¿, ù and Ç are GSM-7", Encoding.gsm7, None, 1),
        ("x" * 152 + "€", Encoding.gsm7, 154, 1),
        ("x" * 159 + "€", Encoding.gsm7, 161, 2),
        ("x" * 152 + "€" + "x" * 152, Encoding.gsm7, 306, 3),  # the escape pair is not split
        ("ç", Encoding.ucs2, 1, 1),  # lower-case c-cedilla is not in the GSM alphabet
        ("“quoted”", Encoding.ucs2, 8, 1),  # curly quotes force UCS-2
        ("y" * 70 + "", Encoding.gsm7, 70, 1),
        ("ü" * 69 + "\u2019", Encoding.ucs2, 70, 1),
        ("ü" * 70 + "\u2019", Encoding.ucs2, 71, 2),
        ("ü" * 133 + "\u2019", Encoding.ucs2, 134, 2),
        ("ü" * 134 + "\u2019", Encoding.ucs2, 135, 3),
        ("😀" * 35, Encoding.ucs2, 70, 1),  # emoji are surrogate pairs: two units
        ("😀" * 36, Encoding.ucs2, 72, 2),
        ("a" * 66 + "😀" + "a" * 66, Encoding.ucs2, 134, 3),  # the pair is not split
        ("你好", Encoding.ucs2, 2, 1),
    ],
)
def test_segment_counts(text, encoding, units, segments):
    info = count_segments(text)
    assert info.encoding is encoding
    if units is not None:
        assert info.units == units
    assert info.segments == segments


def test_segment_info_names_what_forced_ucs2():
    info = count_segments("Your visit is at 3pm \u2013 reply YES \u2019")  # en dash, curly quote
    assert info.encoding is Encoding.ucs2 and info.forced_ucs2_by == ("\u2013", "\u2019")
    assert info.per_segment == 70
    assert count_segments("x" * 200).per_segment == 153
    assert count_segments("plain").forced_ucs2_by == ()


# ---------------------------------------------------------------- statuses and inputs


@pytest.mark.parametrize(
    ("raw", "ours"),
    [
        ("queued", MessageStatus.sent),
        ("SENT", MessageStatus.sent),
        ("stored", MessageStatus.sent),
        ("delivered", MessageStatus.delivered),
        ("undelivered", MessageStatus.undeliverable),
        ("failed", MessageStatus.failed),
        ("bogus", None),
    ],
)
def test_provider_status_words(raw, ours):
    assert status_from_provider(raw) is ours


def test_statuses_only_move_forward():
    p, s, d, f, u = (
        MessageStatus.pending,
        MessageStatus.sent,
        MessageStatus.delivered,
        MessageStatus.failed,
        MessageStatus.undeliverable,
    )
    assert next_status(p, s) is s
    assert next_status(s, d) is d
    assert next_status(p, d) is d  # a callback can beat the receipt
    assert next_status(d, s) is d  # a late "sent" after "delivered"
    assert next_status(s, p) is s
    assert next_status(s, f) is f
    assert next_status(f, d) is f
    assert next_status(u, s) is u


def test_message_problems():
    ok = {"body": "Hi", "idempotency_key": "k:1", "sender": "careline", "recipient_tz": None}
    assert message_problems(**ok) == []
    bad = message_problems(
        body="   ", idempotency_key="has space", sender="no spaces allowed", recipient_tz="Nowhere"
    )
    assert {p.field for p in bad} == {"body", "idempotency_key", "sender", "recipient_tz"}
    assert [p.field for p in message_problems(**{**ok, "body": "x" * 1601})] == ["body"]
    assert [p.field for p in message_problems(**{**ok, "idempotency_key": "k" * 201})] == [
        "idempotency_key"
    ]
