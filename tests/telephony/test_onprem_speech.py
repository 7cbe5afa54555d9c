"""On-premise speech in the voice edge: with `speech_transcriber = "pocketsphinx"` the
provider transcribes nothing; careline downloads recordings from the (virtual)
carrier over real HTTP, recognises them with pocketsphinx, and feeds the flow and
the timeline.

Speech is espeak-ng through sox at 8 kHz, like a phone line (.ci/run installs
both; tests that need them skip only outside CI, as the transcriber's own tests
do). Measured with that pipeline and the voice `en-us+f2` (the recording store's
default): under the main menu's grammar "billing" and "nurse" are recognised;
free speech keeps "overdose" and "heart attack" and garbles most other words.
Those are the words asserted on.
"""

from __future__ import annotations

import io
import logging
import math
import wave
from array import array
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from careline.api.app import create_app
from careline.core.db import transaction
from careline.core.settings import DEMO_AUTH_TOKEN, Environment, Settings
from careline.flows import actions as act
from careline.jobs import service as jobs
from careline.jobs.model import JobEventKind, JobStatus, backoff_delay
from careline.jobs.registry import Registry, default_registry
from careline.jobs.worker import Worker
from careline.security.model import SYSTEM
from careline.security.tables import AuditEntryRow
from careline.telephony import onprem_speech
from careline.telephony.carrier_recordings import RecordingStore, Served, wav_seconds
from careline.telephony.onprem_speech import (
    JOB_ATTEMPTS,
    MAX_RECORDING_BYTES,
    TRANSCRIBE_JOB,
    RecordingProblem,
    download_recording,
    resample,
    telephone_pcm,
    url_allowed,
)
from careline.telephony.render import parse_queue_name, render
from careline.telephony.twiml import Gather, Record, Redirect, Say, parse
from careline.telephony.virtual_carrier import (
    CallerInput,
    NumberConfig,
    ScriptedAgents,
    ScriptedCaller,
    VirtualCarrier,
)
from careline.timeline import service as timeline
from careline.triage.transcribe import SAMPLE_RATE
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind
from clinics import clinic_with_caller
from speech_tools import needs_tts

MAIN = "+13125550199"
CALLER = "+13125550143"
UNKNOWN = "+17735550111"
ACCOUNT = "AC" + "5" * 32
BASE = "http://testserver/telephony/voice"
TUESDAY_10AM_CHICAGO = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
TUESDAY_8PM_CHICAGO = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
NUMBER = NumberConfig(
    voice_url=f"{BASE}/incoming", fallback_url=f"{BASE}/fallback", status_callback=f"{BASE}/status"
)
URGENT_MESSAGE = "my daughter took an overdose"


def wav_bytes(frames: bytes, *, rate: int = 8000, channels: int = 1, width: int = 2) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return buffer.getvalue()


SILENCE_WAV = wav_bytes(b"\0\0" * 8000)


@pytest.fixture
def settings(db_url, keyring_path):
    """This install transcribes on premises: the provider is asked for no transcripts."""
    return Settings(
        environment=Environment.test,
        database_url=db_url,
        keyring_file=keyring_path,
        speech_transcriber="pocketsphinx",
    )


@pytest.fixture
def clinic(rt, clock):
    clock.set(TUESDAY_10AM_CHICAGO)
    return clinic_with_caller(rt, number=MAIN, caller=CALLER)


class CannedStore(RecordingStore):
    """A recording store that keeps fixed bytes whatever the caller says (or nothing:
    then the recording is missing), to serve broken recordings on purpose."""

    def __init__(self, body: bytes | None, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.body = body

    def speak(self, sid: str, text: str) -> float:
        if self.body is not None:
            self.put(sid, self.body)
        return 3.0


@pytest.fixture
def store():
    with RecordingStore(account_sid=ACCOUNT, auth_token=DEMO_AUTH_TOKEN) as running:
        yield running


def _carrier(rt, store):
    carrier = VirtualCarrier(
        TestClient(create_app(rt)), auth_token=DEMO_AUTH_TOKEN, account_sid=ACCOUNT
    )
    carrier.recordings = store  # where the carrier keeps and serves its recordings
    return carrier


def _call(carrier, *inputs, message=None, from_=CALLER):
    return carrier.call(
        number=NUMBER,
        from_=from_,
        to=MAIN,
        caller=ScriptedCaller(list(inputs), message=message),
        agents=ScriptedAgents(queue_wait_seconds=30),
    )


def _worker(rt):
    registry = Registry()
    onprem_speech.register_jobs(registry)
    return Worker(rt, registry=registry, worker_id="test-worker")


def _paths(rec):
    # Without the `?v=` state binding (issue 11, item 8; tests/telephony/test_replay.py).
    return [e.detail["url"].split("?", 1)[0] for e in rec.of_kind("request")]


def _events(rt, call_sid):
    interaction = timeline.find_by_external_ref(rt, actor=SYSTEM, external_ref=call_sid)
    assert interaction is not None
    return interaction.events


def _recording_sid(rec):
    [recorded] = [e for e in rec.of_kind("record") if e.detail.get("recording")]
    return str(recorded.detail["recording"])


# ---------------------------------------------------------------- rendering


MENU = act.Gather(
    prompts=(act.Say("For billing, press 4 or say billing.", "en"),),
    input=("dtmf", "speech"),
    timeout_seconds=6,
    language="en",
    hints=("billing",),
    num_digits=1,
)


def test_with_the_provider_transcribing_the_twiml_is_unchanged():
    doc = parse(render([MENU, act.Record(180, transcribe=True)]))
    gather, redirect, record = doc.verbs
    assert isinstance(gather, Gather) and gather.input == frozenset({"dtmf", "speech"})
    assert gather.hints == ("billing",) and gather.timeout == 6
    assert isinstance(redirect, Redirect) and redirect.url.endswith("/no-input")
    assert isinstance(record, Record) and record.transcribe and record.play_beep
    assert record.transcribe_callback == "/telephony/voice/transcription"
    assert "/telephony/voice/speech" not in render([MENU])  # no on-premise route


def test_on_premises_a_spoken_answer_is_a_short_silent_recording_after_keypad_prompts():
    xml = render([MENU, act.Record(180, transcribe=True)], speech="pocketsphinx")
    gather, record, redirect, voicemail = parse(xml).verbs
    assert isinstance(gather, Gather) and gather.input == frozenset({"dtmf"})
    assert gather.num_digits == 1 and gather.timeout == 1  # the Record does the listening
    assert [p.text for p in gather.prompts if isinstance(p, Say)] == [
        "For billing, press 4 or say billing."
    ]
    assert isinstance(record, Record) and record.action == "/telephony/voice/speech"
    assert (record.max_length, record.timeout, record.play_beep) == (6, 3, False)
    assert not record.transcribe and 'trim="trim-silence"' in xml
    # An empty recording is not posted by the provider: the call goes on to no-input.
    assert isinstance(redirect, Redirect) and redirect.url.endswith("/no-input")
    # The voicemail is recorded without asking the provider for a transcript.
    assert isinstance(voicemail, Record) and voicemail.play_beep
    assert not voicemail.transcribe and voicemail.transcribe_callback is None


def test_on_premises_free_speech_and_languages_the_model_cannot_hear():
    triage = act.Gather(
        prompts=(act.Say("Tell us what is going on.", "en"),),
        input=("speech",),
        timeout_seconds=5,
        language="en",
    )
    say, record, _ = parse(render([triage], speech="pocketsphinx")).verbs
    assert isinstance(say, Say) and isinstance(record, Record)  # no keypad to wait for
    spanish = act.Gather(
        prompts=(act.Say("Para citas, oprima 1.", "es"),),
        input=("dtmf", "speech"),
        timeout_seconds=6,
        language="es",
        num_digits=1,
    )
    gather, redirect = parse(render([spanish], speech="pocketsphinx")).verbs
    assert isinstance(gather, Gather) and gather.input == frozenset({"dtmf"})
    assert gather.timeout == 6 and isinstance(redirect, Redirect)  # keypad only


# ---------------------------------------------------------------- audio and URLs


def test_telephone_audio_is_doubled_to_the_recognisers_rate_within_the_interpolation_error():
    # A 1 kHz tone at 8 kHz, upsampled, against the same tone computed at 16 kHz:
    # linear interpolation errs by at most 1 - cos(pi * f / fs) of the amplitude.
    amplitude, tone = 10_000, 1000.0
    source = array(
        "h", (round(amplitude * math.sin(2 * math.pi * tone * i / 8000)) for i in range(800))
    )
    pcm = telephone_pcm(wav_bytes(source.tobytes(), rate=8000))
    got = array("h")
    got.frombytes(pcm)
    assert len(got) == 1600
    bound = amplitude * (1 - math.cos(math.pi * tone / 8000)) + 2
    worst = max(
        abs(got[i] - amplitude * math.sin(2 * math.pi * tone * i / SAMPLE_RATE))
        for i in range(1598)
    )
    assert worst <= bound, (worst, bound)
    assert list(resample(array("h", [0, 100, -100]), 8000, 16000)) == [0, 50, 100, 0, -100, -100]


def test_other_rates_and_stereo_are_converted():
    assert resample(array("h", [7] * 441), 44_100, 16_000) == array("h", [7] * 160)
    assert resample(array("h", [1, 2, 3]), 16_000, 16_000) == array("h", [1, 2, 3])
    assert len(resample(array("h", [0] * 1200), 12_000, 16_000)) == 1600
    stereo = array("h", [100, 300] * 4000).tobytes()  # left 100, right 300
    pcm = array("h")
    pcm.frombytes(telephone_pcm(wav_bytes(stereo, rate=8000, channels=2)))
    assert len(pcm) == 8000 and set(pcm) == {200}
    with pytest.raises(ValueError):
        resample(array("h", [1]), 0, 16_000)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"<html><body>Service Unavailable</body></html>", "recording-not-wav"),
        (b"", "recording-not-wav"),
        (b"RIFF\x10\x00\x00\x00WAVEjunkjunk", "recording-unreadable"),
        (wav_bytes(b"\0" * 800, width=1), "recording-format-unsupported"),
        (wav_bytes(b"\0\0\0\0\0\0" * 100, channels=3), "recording-format-unsupported"),
        (wav_bytes(b"\0\0" * 100, rate=4000), "recording-format-unsupported"),
        (wav_bytes(b""), "recording-empty"),
    ],
)
def test_unusable_recordings_are_refused_with_a_code(body, code):
    with pytest.raises(RecordingProblem) as err:
        telephone_pcm(body)
    assert err.value.code == code


def test_only_the_providers_media_hosts_or_loopback_outside_production_are_fetched(
    keyring_path,
):
    dev = Settings(environment=Environment.test)
    prod = Settings(
        environment=Environment.production,
        twilio_auth_token="t",
        keyring_file=keyring_path,
        provider="twilio",
        public_base_url="https://careline.clinic.example",
    )
    assert url_allowed(
        httpx.URL("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"), dev
    )
    assert url_allowed(httpx.URL("https://api.twilio.com/x"), prod)
    assert url_allowed(httpx.URL("http://127.0.0.1:8080/Recordings/RE1.wav"), dev)
    assert url_allowed(httpx.URL("http://[::1]:8080/x"), dev)
    assert url_allowed(httpx.URL("http://localhost/x"), dev)
    assert not url_allowed(httpx.URL("http://127.0.0.1:8080/x"), prod)
    assert not url_allowed(httpx.URL("http://api.twilio.com/x"), dev)
    assert not url_allowed(httpx.URL("http://10.0.0.5/x"), dev)
    assert not url_allowed(httpx.URL("ftp://127.0.0.1/x"), dev)
    assert not url_allowed(httpx.URL("file:///etc/passwd"), dev)
    assert not url_allowed(httpx.URL("https://virtual-carrier.invalid/Recordings/RE1"), dev)
    # issue 11, item 7: https is not enough, the host must be the provider's
    assert url_allowed(httpx.URL("https://media.twilio.com/x"), prod)
    assert not url_allowed(httpx.URL("https://attacker.example/x"), dev)
    assert not url_allowed(httpx.URL("https://twilio.com.attacker.example/x"), prod)
    assert not url_allowed(httpx.URL("https://eviltwilio.com/x"), prod)
    assert not url_allowed(httpx.URL("https://169.254.169.254/latest/meta-data"), dev)
    assert not url_allowed(httpx.URL("https://127.0.0.1/x"), prod)
    own = dev.model_copy(update={"recording_hosts": ["media.clinic-pbx.example"]})
    assert url_allowed(httpx.URL("https://media.clinic-pbx.example/r.wav"), own)
    assert not url_allowed(httpx.URL("https://api.twilio.com/x"), own)


def test_downloads_follow_the_providers_protocol(store):
    dev = Settings(environment=Environment.test)
    url = store.put("RE1", SILENCE_WAV)
    assert not url.endswith(".wav")  # announced without extension, fetched as .wav

    def get(recording_url, **kwargs):
        args = {"account_sid": ACCOUNT, "auth_token": DEMO_AUTH_TOKEN, "settings": dev}
        return download_recording(recording_url, **{**args, **kwargs})

    assert get(url) == SILENCE_WAV
    assert store.served[-1] == Served(f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/RE1.wav", 200)
    assert get(store.redirect("RE2", f"{store.base_url}/Recordings/RE1.wav")) == SILENCE_WAV
    cases = [
        (store.recording_url("RE404"), {}, "recording-not-found"),
        (url, {"auth_token": "not-the-token"}, "recording-auth-refused"),
        (url, {"max_bytes": len(SILENCE_WAV) - 1}, "recording-too-large"),
        (store.redirect("RE3", "http://192.0.2.1/elsewhere.wav"), {}, "recording-url-refused"),
        ("ftp://127.0.0.1/Recordings/RE1", {}, "recording-url-refused"),
        ("not a url at all", {}, "recording-url-refused"),
    ]
    for recording_url, kwargs, code in cases:
        with pytest.raises(RecordingProblem) as err:
            get(recording_url, **kwargs)
        assert err.value.code == code, recording_url
    with RecordingStore(account_sid=ACCOUNT, auth_token=DEMO_AUTH_TOKEN) as gone:
        dead = gone.recording_url("RE1")
    with pytest.raises(RecordingProblem) as err:
        get(dead)
    assert err.value.code == "recording-unreachable"


def test_the_job_kind_is_wired_into_every_worker():
    assert TRANSCRIBE_JOB in default_registry().kinds()


# ---------------------------------------------------------------- voicemail


@needs_tts
def test_a_voicemail_is_transcribed_on_premises_triaged_and_becomes_a_task(
    rt, clinic, clock, store, caplog
):
    caplog.set_level(logging.INFO)
    location_id, patient_id = clinic
    clock.set(TUESDAY_8PM_CHICAGO)
    rec = _call(_carrier(rt, store), CallerInput(digits="2"), message=URGENT_MESSAGE)
    paths = _paths(rec)
    assert "/telephony/voice/recording" in paths
    assert "/telephony/voice/transcription" not in paths  # the provider transcribed nothing
    sid = _recording_sid(rec)
    kinds = [e.kind for e in _events(rt, rec.sid)]
    assert "voicemail.recorded" in kinds and "voicemail.transcribed" not in kinds
    job = jobs.find_job(rt, dedupe_key=f"voicemail-transcribe:{sid}")
    assert job is not None and job.kind == TRANSCRIBE_JOB
    assert URGENT_MESSAGE not in str(job.payload) and CALLER not in str(job.payload)

    assert _worker(rt).run_until_idle() == 1

    assert store.served == [Served(f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/{sid}.wav", 200)]
    [vm] = [e for e in _events(rt, rec.sid) if e.kind == "voicemail.transcribed"]
    assert vm.text is not None and "overdose" in vm.text.split(), vm.text
    assert vm.data["urgency"] == "emergency" and vm.data["source"] == "pocketsphinx"
    assert vm.data["recording_sid"] == sid
    tasks, _ = worklist.list_tasks(rt, actor=SYSTEM, limit=10, offset=0)
    [task] = tasks
    assert task.kind is TaskKind.urgent_voicemail and task.id == vm.data["task_id"]
    assert (task.patient_id, task.location_id) == (patient_id, location_id)
    assert jobs.get_job(rt, job_id=job.id).status is JobStatus.done

    # Run again (a worker that died after the work): nothing is filed twice.
    onprem_speech.transcribe_voicemail_job(rt, job.payload)
    assert [e.kind for e in _events(rt, rec.sid)].count("voicemail.transcribed") == 1
    assert worklist.list_tasks(rt, actor=SYSTEM, limit=10, offset=0)[1] == 1
    assert "overdose" not in caplog.text and CALLER not in caplog.text


def test_the_providers_urgent_transcripts_become_tasks_too_and_retries_file_once(rt, clinic):
    _, patient_id = clinic
    client = TestClient(create_app(rt))
    start = {"CallSid": "CA88", "AccountSid": ACCOUNT, "From": CALLER, "To": MAIN}
    assert _signed_post(client, "incoming", start, "t1").status_code == 200
    words = {
        **start,
        "RecordingSid": "RE88",
        "TranscriptionText": "my father has crushing chest pain",
        "TranscriptionStatus": "completed",
    }
    for token in ("t2", "t3"):  # a retried callback, as a new delivery
        assert _signed_post(client, "transcription", words, token).status_code == 204
    [vm] = [e for e in _events(rt, "CA88") if e.kind == "voicemail.transcribed"]
    assert (vm.data["urgency"], vm.data["source"]) == ("emergency", "provider")
    tasks, total = worklist.list_tasks(rt, actor=SYSTEM, limit=10, offset=0)
    assert total == 1 and tasks[0].patient_id == patient_id
    assert tasks[0].id == vm.data["task_id"]
    routine = {**words, "RecordingSid": "RE89", "TranscriptionText": "what are your hours"}
    assert _signed_post(client, "transcription", routine, "t4").status_code == 204
    assert worklist.list_tasks(rt, actor=SYSTEM, limit=10, offset=0)[1] == 1  # no task


@pytest.mark.parametrize(
    ("broken", "code"),
    [
        ("missing", "recording-not-found"),
        ("wrong-auth", "recording-auth-refused"),
        ("oversize", "recording-too-large"),
        ("not-wav", "recording-not-wav"),
    ],
)
def test_a_voicemail_that_cannot_be_fetched_retries_then_says_so(
    rt, clinic, clock, caplog, broken, code
):
    caplog.set_level(logging.DEBUG)
    body = {
        "missing": None,
        "wrong-auth": SILENCE_WAV,
        "oversize": wav_bytes(b"\0\0" * (MAX_RECORDING_BYTES // 2)),
        "not-wav": b"<html><body>Service Unavailable</body></html>",
    }[broken]
    token = "another-accounts-token" if broken == "wrong-auth" else DEMO_AUTH_TOKEN
    clock.set(TUESDAY_8PM_CHICAGO)
    with CannedStore(body, account_sid=ACCOUNT, auth_token=token) as canned:
        rec = _call(_carrier(rt, canned), CallerInput(digits="2"), message=URGENT_MESSAGE)
        assert rec.status == "completed"  # the caller noticed nothing
        job = jobs.find_job(rt, dedupe_key=f"voicemail-transcribe:{_recording_sid(rec)}")
        assert job is not None
        worker = _worker(rt)
        for attempt in range(1, JOB_ATTEMPTS + 1):
            assert worker.run_until_idle() == 1
            now = jobs.get_job(rt, job_id=job.id)
            assert now.last_error == code
            if attempt < JOB_ATTEMPTS:
                assert now.status is JobStatus.due
                assert now.due_at - clock.now() == backoff_delay(attempt)  # the jobs' backoff
                assert worker.run_until_idle() == 0  # not before its time
                clock.set(now.due_at)
        assert now.status is JobStatus.failed
        assert len(canned.served) == JOB_ATTEMPTS
    history = [e.kind for e in jobs.job_events(rt, job_id=job.id)]
    assert history.count(JobEventKind.retry_scheduled) == JOB_ATTEMPTS - 1
    assert history[-1] is JobEventKind.failed
    events = _events(rt, rec.sid)
    [gone] = [e for e in events if e.kind == "voicemail.transcript_unavailable"]
    assert gone.data["reason"] == code and gone.data["source"] == "pocketsphinx"
    assert "listen to the recording" in gone.data["note"]
    assert not [e for e in events if e.kind == "voicemail.transcribed"]
    assert code in caplog.text  # the failure is logged, by code...
    for phi in (URGENT_MESSAGE, "overdose", CALLER, "Rosa"):
        assert phi not in caplog.text  # ...and with nothing about the caller


def test_a_spanish_voicemail_is_not_sent_to_the_english_model(rt, clinic, clock):
    clock.set(TUESDAY_8PM_CHICAGO)
    with CannedStore(SILENCE_WAV, account_sid=ACCOUNT, auth_token=DEMO_AUTH_TOKEN) as canned:
        rec = _call(
            _carrier(rt, canned),
            CallerInput(digits="2"),  # español
            CallerInput(digits="2"),  # dejar un mensaje
            message="necesito una receta",
            from_=UNKNOWN,
        )
        assert canned.served == []
    assert "/telephony/voice/speech" not in _paths(rec)  # Spanish menus are keypad-only
    assert jobs.find_job(rt, dedupe_key=f"voicemail-transcribe:{_recording_sid(rec)}") is None
    [gone] = [e for e in _events(rt, rec.sid) if e.kind == "voicemail.transcript_unavailable"]
    assert gone.data["reason"] == "language-not-supported"


# ---------------------------------------------------------------- menus


@needs_tts
def test_a_menu_answered_by_voice_reaches_its_branch(rt, clinic, store):
    rec = _call(
        _carrier(rt, store),
        CallerInput(),  # nothing pressed while the menu plays
        CallerInput(speech="billing"),  # then said, into the short recording
    )
    assert "/telephony/voice/speech" in _paths(rec)
    assert "/telephony/voice/gather" not in _paths(rec)
    assert [s.status for s in store.served] == [200]
    [queued] = rec.of_kind("queue")
    assert parse_queue_name(str(queued.detail["queue"]))[0] == "billing"
    [choice] = [e for e in _events(rt, rec.sid) if e.kind == "menu.choice"]
    assert (choice.data["option"], choice.data["via"]) == ("billing", "speech")


@needs_tts
def test_a_nurse_line_caller_is_triaged_from_their_own_words(rt, clinic, store):
    rec = _call(
        _carrier(rt, store),
        CallerInput(),
        CallerInput(speech="nurse"),  # the main menu, by grammar
        CallerInput(speech="she is having a heart attack"),  # triage, free speech
    )
    paths = _paths(rec)
    assert paths.count("/telephony/voice/speech") == 2 and "/telephony/voice/gather" not in paths
    assert [s.status for s in store.served] == [200, 200]  # both answers downloaded
    assert any("9 1 1" in heard for heard in rec.heard())  # emergency guidance
    handed = rec.of_kind("queue") + rec.of_kind("dial")
    assert handed
    [result] = [e for e in _events(rt, rec.sid) if e.kind == "triage.result"]
    assert result.data["urgency"] == "emergency"
    assert result.text is not None and "heart attack" in result.text


def test_keypad_answers_still_work_during_and_after_the_prompts(rt, clinic, store):
    during = _call(_carrier(rt, store), CallerInput(digits="4"))
    assert "/telephony/voice/gather" in _paths(during)
    after = _call(_carrier(rt, store), CallerInput(), CallerInput(digits="4"))
    assert "/telephony/voice/speech" in _paths(after)  # a key ended the short recording
    for rec in (during, after):
        [queued] = rec.of_kind("queue")
        assert parse_queue_name(str(queued.detail["queue"]))[0] == "billing"
    assert store.served == []  # nothing to download for a key


def _signed_post(client, path, params, token, auth_token=DEMO_AUTH_TOKEN):
    signature = RequestValidator(auth_token).compute_signature(f"{BASE}/{path}", params)
    return client.post(
        f"{BASE}/{path}",
        data=params,
        headers={"X-Twilio-Signature": signature, "I-Twilio-Idempotency-Token": token},
    )


def test_speech_webhook_retries_are_answered_once_and_silence_is_asked_again(rt, clinic, store):
    client = TestClient(create_app(rt))
    start = {"CallSid": "CA77", "AccountSid": ACCOUNT, "From": CALLER, "To": MAIN}
    first = _signed_post(client, "incoming", start, "t1")
    assert first.status_code == 200 and 'action="/telephony/voice/speech?v=' in first.text
    answer = {
        **start,
        "RecordingUrl": store.put("RE77", SILENCE_WAV),
        "RecordingSid": "RE77",
        "RecordingDuration": "1",
    }
    a = _signed_post(client, "speech", answer, "t2")
    b = _signed_post(client, "speech", answer, "t2")  # the same delivery, retried
    assert a.status_code == b.status_code == 200 and a.text == b.text
    assert "Sorry, I did not get that." in a.text  # nothing recognised: asked again
    assert len(store.served) == 1  # the retry was answered without a second download
    keyed = _signed_post(client, "speech", {**start, "Digits": "4"}, "t3")
    assert "billing.routine" in keyed.text  # <Enqueue> to billing


def test_forged_speech_webhooks_get_403_and_are_audited(rt, clinic):
    client = TestClient(create_app(rt))
    params = {"CallSid": "CA1", "From": CALLER, "To": MAIN, "RecordingUrl": "https://x/RE1"}
    forged = _signed_post(client, "speech", params, "t1", auth_token="wrong-token")
    assert forged.status_code == 403 and forged.json()["error_id"] == "bad-signature"
    assert client.post(f"{BASE}/speech", data=params).status_code == 403  # unsigned
    with transaction(rt.sessions) as s:
        rejected = (
            s.execute(select(AuditEntryRow).where(AuditEntryRow.action == "webhook.rejected"))
            .scalars()
            .all()
        )
    assert len(rejected) == 2 and all(e.details["path"].endswith("/speech") for e in rejected)


@needs_tts
def test_the_store_serves_synthesised_telephone_audio_behind_basic_auth(store):
    seconds = store.speak("RE9", "billing")
    assert 0.3 < seconds < 3

    def get(auth):
        with httpx.Client() as http:
            return http.get(f"{store.base_url}/Recordings/RE9.wav", auth=auth)

    got = get((ACCOUNT, DEMO_AUTH_TOKEN))
    assert got.status_code == 200 and wav_seconds(got.content) == seconds
    with wave.open(io.BytesIO(got.content)) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
    assert get(("AC0", DEMO_AUTH_TOKEN)).status_code == 401
    assert get(None).status_code == 401
