"""The transcriber: audio checks, menu grammars, and real recognition of real
(synthetic) speech with the model the pocketsphinx wheel ships.

The `pocketsphinx` package ships no sample audio, so speech is made with
Debian's espeak-ng and converted with sox (.ci/run installs both). Synthetic
speech is recognised imperfectly: the assertions are what was measured to be
reliable — with a menu grammar the right option is chosen; in free speech the
key words of a clear sentence come through.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import wave
from array import array
from pathlib import Path

import pocketsphinx
import pytest
from typer.testing import CliRunner

from careline.cli import app
from careline.triage.lexicon import Intent
from careline.triage.transcribe import (
    MAX_SECONDS,
    SAMPLE_RATE,
    PocketsphinxTranscriber,
    Transcriber,
    TranscriberUnavailable,
    Transcript,
    TranscriptionFailed,
    grammar_options,
    match_option,
    menu_jsgf,
    read_pcm,
    voiced_seconds,
)
from speech_tools import needs_tts

MENU = ["Billing", "Appointments", "Pharmacy", "Test results", "Speak to a nurse"]


def wav_bytes(
    frames: bytes, *, channels: int = 1, width: int = 2, rate: int = SAMPLE_RATE
) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def transcriber() -> PocketsphinxTranscriber:
    return PocketsphinxTranscriber()


@pytest.fixture(scope="module")
def speak(tmp_path_factory: pytest.TempPathFactory):
    """Text -> a 16 kHz mono 16-bit WAV file of espeak-ng saying it."""
    folder = tmp_path_factory.mktemp("speech")
    count = iter(range(1_000_000))

    def make(text: str, *, voice: str = "en-us", speed: int = 150) -> Path:
        n = next(count)
        raw, out = folder / f"{n}-raw.wav", folder / f"{n}.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                "sox",
                str(raw),
                "-r",
                str(SAMPLE_RATE),
                "-c",
                "1",
                "-b",
                "16",
                "-e",
                "signed-integer",
                str(out),
            ],
            check=True,
            capture_output=True,
        )
        return out

    return make


# ---------------------------------------------------------------- what the wheel ships


def test_the_wheel_ships_an_english_model_and_no_sample_audio():
    model = Path(pocketsphinx.get_model_path())
    assert (model / "en-us" / "en-us" / "mdef").is_file()
    assert (model / "en-us" / "en-us.lm.bin").is_file()
    assert (model / "en-us" / "cmudict-en-us.dict").is_file()
    package = Path(pocketsphinx.__file__).parent
    audio = [p for p in package.rglob("*") if p.suffix in {".wav", ".raw"}]
    assert audio == []  # hence espeak-ng below
    assert not any(p.name.startswith("es") for p in model.iterdir())  # no Spanish model


def test_a_model_folder_can_be_given_and_a_missing_one_is_reported(tmp_path):
    shipped = PocketsphinxTranscriber(model_dir=Path(pocketsphinx.get_model_path()) / "en-us")
    assert shipped.transcribe(b"\0\0" * 1600, grammar=["billing"]).text == ""
    with pytest.raises(TranscriberUnavailable) as err:
        PocketsphinxTranscriber(model_dir=tmp_path).transcribe(b"\0\0" * 1600)
    assert err.value.status == 503 and err.value.error_id == "transcriber-unavailable"


def test_it_is_a_transcriber():
    t: Transcriber = PocketsphinxTranscriber()  # checked by mypy's structural typing
    assert callable(t.transcribe)


# ---------------------------------------------------------------- audio checks


def test_raw_pcm_and_wav_are_accepted(tmp_path):
    frames = b"\x01\x00" * 1600
    assert read_pcm(frames) == frames
    assert read_pcm(wav_bytes(frames)) == frames
    path = tmp_path / "a.wav"
    path.write_bytes(wav_bytes(frames))
    assert read_pcm(path) == frames


@pytest.mark.parametrize(
    ("audio", "says"),
    [
        (wav_bytes(b"\0\0\0\0" * 100, channels=2), "2 channel(s)"),
        (wav_bytes(b"\0\0" * 100, rate=8000), "8000 Hz"),
        (wav_bytes(b"\0" * 100, width=1), "8-bit"),
        (b"\x00\x01\x02", "even number of bytes"),
        (b"", "empty"),
        (wav_bytes(b""), "empty"),
        (b"RIFF\x10\x00\x00\x00WAVEjunk", "not readable"),
        (b"\0\0" * (MAX_SECONDS * SAMPLE_RATE + 1), "longer than"),
    ],
)
def test_unusable_audio_is_refused_with_what_to_fix(audio, says):
    with pytest.raises(TranscriptionFailed) as err:
        read_pcm(audio)
    assert says in err.value.detail
    assert err.value.error_id == "transcription-failed" and err.value.status == 422


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(TranscriptionFailed, match="cannot be read"):
        read_pcm(tmp_path / "nope.wav")


# ---------------------------------------------------------------- grammars


def test_menu_options_become_a_grammar():
    assert grammar_options(["Billing", "Test Results!", "billing", "Médico"]) == [
        ("billing",),
        ("test", "results"),
        ("medico",),
    ]
    jsgf = menu_jsgf(["Billing", "Speak to a nurse"])
    assert jsgf.startswith("#JSGF V1.0;")
    assert "public <option> = billing | speak to a nurse ;" in jsgf


@pytest.mark.parametrize("options", [[], ["!!!"], ["  "], ["option 2"]])
def test_options_without_plain_words_are_refused(options):
    with pytest.raises(TranscriptionFailed):
        grammar_options(options)


def test_match_option_maps_back_to_the_flow_spelling():
    assert match_option(Transcript("test results", 0.5), MENU) == "Test results"
    assert match_option(Transcript("", 0.0), MENU) is None
    assert match_option(Transcript("bananas", 0.4), MENU) is None


def test_a_word_outside_the_dictionary_is_refused(transcriber):
    with pytest.raises(TranscriptionFailed, match="not in the recogniser's dictionary: zzxqv"):
        transcriber.transcribe(b"\0\0" * 1600, grammar=["billing", "zzxqv"])


def test_silence_under_a_grammar_is_nothing(transcriber):
    heard = transcriber.transcribe(b"\0\0" * SAMPLE_RATE, grammar=MENU)
    assert heard == Transcript("", 0.0)


# ---------------------------------------------------------------- real speech


@needs_tts
@pytest.mark.parametrize("option", MENU)
def test_a_spoken_menu_answer_is_recognised_with_the_grammar(transcriber, speak, option):
    heard = transcriber.transcribe(speak(option), grammar=MENU)
    assert match_option(heard, MENU) == option, heard
    assert 0.0 < heard.confidence <= 1.0


@needs_tts
def test_the_grammar_is_what_makes_short_answers_work(transcriber, speak):
    """Measured: without the grammar the free model hears 'billing' as something else."""
    audio = speak("billing")
    free = transcriber.transcribe(audio)
    assert free.text != "billing"
    assert transcriber.transcribe(audio, grammar=["billing", "pharmacy"]).text == "billing"


@needs_tts
def test_free_speech_keywords_come_through_and_are_triaged(transcriber, speak, triage):
    heard = transcriber.transcribe(
        speak("I need to make an appointment", voice="en-us+f2", speed=160)
    )
    assert "appointment" in heard.text.split(), heard
    assert triage(heard.text).intent is Intent.scheduling
    heard = transcriber.transcribe(
        speak("please call me back tomorrow", voice="en-us+f2", speed=160).read_bytes()
    )
    assert "tomorrow" in heard.text.split(), heard


@needs_tts
def test_the_cli_transcribes_and_triages_a_wav_file(speak):
    audio = speak("pharmacy")
    result = CliRunner().invoke(
        app, ["triage", "--audio", str(audio), "--menu", "billing", "--menu", "pharmacy"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["text"], body["intent"]) == ("pharmacy", "refill")


def test_the_cli_refuses_telephone_rate_audio(tmp_path):
    path = tmp_path / "call.wav"
    path.write_bytes(wav_bytes(b"\0\0" * 800, rate=8000))
    result = CliRunner().invoke(app, ["triage", "--audio", str(path)])
    assert result.exit_code == 2
    assert "transcription-failed" in result.stderr and "16000 Hz" in result.stderr


# ---------------------------------------------------------------- silence is silence


def _tone(seconds: float, *, amplitude: int, hz: int = 440) -> bytes:
    frames = array(
        "h",
        (
            round(amplitude * math.sin(2 * math.pi * hz * i / SAMPLE_RATE))
            for i in range(int(seconds * SAMPLE_RATE))
        ),
    )
    return frames.tobytes()


def test_voiced_seconds_counts_only_sound_loud_enough_to_be_speech():
    assert voiced_seconds(b"\0\0" * SAMPLE_RATE) == 0.0
    assert voiced_seconds(_tone(1.0, amplitude=60)) == 0.0  # a line's comfort noise
    assert voiced_seconds(_tone(0.5, amplitude=4000)) == pytest.approx(0.5, abs=0.02)
    quiet_then_loud = b"\0\0" * SAMPLE_RATE + _tone(0.3, amplitude=4000)
    assert voiced_seconds(quiet_then_loud) == pytest.approx(0.3, abs=0.02)
    assert voiced_seconds(_tone(2.0, amplitude=4000), enough=0.2) == pytest.approx(0.2, abs=0.02)


def test_free_speech_hears_no_words_in_silence_whatever_came_before(transcriber):
    """Measured before the gate: digital silence decoded as "dog", then as "in" after
    other audio, and triage (rightly) sends words it cannot place to a nurse; a silent
    caller was queued as urgent instead of being asked again."""
    silence, hum = b"\0\0" * SAMPLE_RATE, _tone(1.0, amplitude=60)
    assert transcriber.transcribe(silence) == Transcript("", 0.0)
    transcriber.transcribe(_tone(1.0, amplitude=8000))  # the decoder has now heard sound
    assert transcriber.transcribe(silence) == Transcript("", 0.0)
    assert transcriber.transcribe(hum) == Transcript("", 0.0)
    assert transcriber.transcribe(hum, grammar=MENU) == Transcript("", 0.0)


def test_a_short_click_is_not_an_answer(transcriber):
    click = b"\0\0" * (SAMPLE_RATE // 2) + _tone(0.06, amplitude=12000) + b"\0\0" * 8000
    assert transcriber.transcribe(click) == Transcript("", 0.0)
