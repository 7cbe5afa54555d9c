"""Speech to text for triage: one small protocol and an offline PocketSphinx adapter.

The IVR needs words before it can triage them. `Transcriber` is what the call
flow depends on; `PocketsphinxTranscriber` runs on this machine with the
English acoustic model the `pocketsphinx` wheel ships (no network, no
downloads). A menu's options can be passed as a grammar: recognition is then
restricted to them, which is what makes short answers ("billing") reliable.

Limits (measured, see tests/triage/test_transcribe.py): the bundled model is
US English, 16 kHz wideband — Spanish audio and 8 kHz telephone audio are not
recognised usefully and are refused or must be handled by another adapter.
Free speech is recognised loosely; with a grammar, speech outside the menu is
still forced to the nearest option (or nothing), and the decoder's confidence
does not tell the two apart, so the flow should confirm the choice.
"""

from __future__ import annotations

import io
import math
import re
import sys
import threading
import wave
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from careline.core.errors import CarelineError, FieldProblem, Unavailable
from careline.triage.text import fold

#: The only audio format the bundled model understands.
SAMPLE_RATE = 16_000
SAMPLE_WIDTH = 2
#: Longest audio accepted (a caller's answer, a voicemail): 5 minutes.
MAX_SECONDS = 300

_GRAMMAR_WORD = re.compile(r"^[a-z][a-z']*$")


class TranscriptionFailed(CarelineError):
    status = 422
    error_id = "transcription-failed"
    title = "The audio could not be transcribed"


class TranscriberUnavailable(Unavailable):
    error_id = "transcriber-unavailable"
    title = "Speech recognition is unavailable"


@dataclass(frozen=True)
class Transcript:
    """What was heard. `confidence` is 0.0 to 1.0 (0.0 when nothing was heard)."""

    text: str
    confidence: float


class Transcriber(Protocol):
    """Turns a caller's audio into words; `grammar` limits them to menu options."""

    def transcribe(
        self, audio: bytes | Path, *, grammar: Sequence[str] | None = None
    ) -> Transcript: ...


def _fail(detail: str, problem: str) -> TranscriptionFailed:
    return TranscriptionFailed(detail, problems=[FieldProblem("audio", problem)])


def read_pcm(audio: bytes | Path) -> bytes:
    """16-bit, 16 kHz, mono PCM samples from a WAV file (path or bytes) or raw PCM bytes.

    Raw bytes (no RIFF header) are taken as already in that format, which is
    what a media gateway hands over. Anything else is refused with what to fix.
    """
    if isinstance(audio, Path):
        try:
            audio = audio.read_bytes()
        except OSError as exc:
            raise _fail(
                f"The audio file cannot be read ({exc.strerror or 'error'}).", "cannot be read"
            ) from None
    if audio[:4] == b"RIFF":
        try:
            with wave.open(io.BytesIO(audio)) as w:
                channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
                pcm = bytes(w.readframes(w.getnframes()))
        except (wave.Error, EOFError) as exc:
            raise _fail(
                f"The WAV file is not readable: {exc}.", "not a readable WAV file"
            ) from None
        if (channels, width, rate) != (1, SAMPLE_WIDTH, SAMPLE_RATE):
            raise _fail(
                f"The audio is {channels} channel(s), {8 * width}-bit, {rate} Hz; "
                f"the recogniser needs mono 16-bit {SAMPLE_RATE} Hz "
                f"(e.g. `sox in.wav -r 16000 -c 1 -b 16 out.wav`).",
                "must be mono 16-bit 16 kHz",
            )
    else:
        pcm = bytes(audio)
        if len(pcm) % SAMPLE_WIDTH:
            raise _fail(
                "Raw audio must be whole 16-bit samples (an even number of bytes).",
                "odd number of bytes",
            )
    if not pcm:
        raise _fail("The audio is empty.", "empty")
    if len(pcm) > MAX_SECONDS * SAMPLE_RATE * SAMPLE_WIDTH:
        raise _fail(f"The audio is longer than {MAX_SECONDS} seconds.", "too long")
    return pcm


# A 20 ms frame counts as voiced above about -45 dBFS RMS (a phone line's comfort
# noise sits near -60); an answer needs at least 0.15 s of it.
VOICED_FRAME_RMS = 180.0
MIN_VOICED_SECONDS = 0.15
_FRAME = SAMPLE_RATE // 50


def voiced_seconds(pcm: bytes, *, enough: float = math.inf) -> float:
    """How much of the audio carries sound loud enough to be speech.

    The recogniser hears words in silence (pure digital silence decodes as "dog"
    or "in"), and triage rightly treats words it cannot place as urgent: so
    silence must be recognised as silence before recognition, not after.
    Counting stops once `enough` seconds are found.
    """
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % SAMPLE_WIDTH])
    if sys.byteorder == "big":
        samples.byteswap()
    voiced = 0
    for start in range(0, len(samples) - _FRAME + 1, _FRAME):
        frame = samples[start : start + _FRAME]
        if math.sqrt(sum(x * x for x in frame) / _FRAME) >= VOICED_FRAME_RMS:
            voiced += 1
            if voiced * _FRAME >= enough * SAMPLE_RATE:
                break
    return voiced * _FRAME / SAMPLE_RATE


def grammar_options(options: Sequence[str]) -> list[tuple[str, ...]]:
    """Menu options as word tuples a grammar can hold ("Test results!" -> test results)."""
    cleaned: list[tuple[str, ...]] = []
    for option in options:
        option_words = tuple(
            w for w in re.split(r"[^a-z0-9']+", fold(option).replace("\u2019", "'")) if w.strip("'")
        )
        if not option_words:
            raise TranscriptionFailed(
                "A menu option has no words the recogniser can listen for.",
                problems=[FieldProblem("grammar", "an option has no letters")],
            )
        for word in option_words:
            if not _GRAMMAR_WORD.fullmatch(word):
                raise TranscriptionFailed(
                    f"Menu option word '{word[:40]}' is not a plain word "
                    "(spell numbers out: 'two', not '2').",
                    problems=[FieldProblem("grammar", "options must be words (a-z)")],
                )
        if option_words not in cleaned:
            cleaned.append(option_words)
    if not cleaned:
        raise TranscriptionFailed(
            "A grammar needs at least one menu option.",
            problems=[FieldProblem("grammar", "no options")],
        )
    return cleaned


def menu_jsgf(options: Sequence[str]) -> str:
    """A JSGF grammar accepting exactly one of the menu options."""
    alternatives = " | ".join(" ".join(words) for words in grammar_options(options))
    return f"#JSGF V1.0;\ngrammar menu;\npublic <option> = {alternatives} ;\n"


def match_option(transcript: Transcript, options: Sequence[str]) -> str | None:
    """The menu option (as the flow spelt it) that a grammar transcript names."""
    heard = tuple(transcript.text.split())
    for option in options:
        if heard and grammar_options([option]) == [heard]:
            return option
    return None


class PocketsphinxTranscriber:
    """Offline recognition with the model bundled in the `pocketsphinx` wheel.

    One decoder is loaded lazily (about a third of a second) and reused; it is
    not thread-safe, so calls are serialised. Grammars are compiled once per
    distinct option list.
    """

    def __init__(self, *, model_dir: Path | None = None) -> None:
        """`model_dir`: a folder laid out like the wheel's `model/en-us` (default: that one)."""
        self._model_dir = model_dir
        self._decoder: Any = None
        self._searches: dict[tuple[tuple[str, ...], ...], str] = {}
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._decoder is None:
            import pocketsphinx  # type: ignore[import-untyped]

            kwargs: dict[str, Any] = {"loglevel": "FATAL"}
            if self._model_dir is not None:
                kwargs.update(
                    hmm=str(self._model_dir / "en-us"),
                    lm=str(self._model_dir / "en-us.lm.bin"),
                    dict=str(self._model_dir / "cmudict-en-us.dict"),
                )
            try:
                self._decoder = pocketsphinx.Decoder(**kwargs)
            except RuntimeError as exc:
                raise TranscriberUnavailable(
                    f"The speech model could not be loaded ({exc})."
                ) from None
        return self._decoder

    def _grammar_search(self, decoder: Any, options: Sequence[str]) -> str:
        key = tuple(grammar_options(options))
        name = self._searches.get(key)
        if name is None:
            unknown = sorted({w for words in key for w in words if decoder.lookup_word(w) is None})
            if unknown:
                raise TranscriptionFailed(
                    f"Menu word(s) not in the recogniser's dictionary: {', '.join(unknown[:5])}. "
                    "Use common English words for spoken menu options.",
                    problems=[FieldProblem("grammar", "word not in the dictionary")],
                )
            name = f"menu{len(self._searches)}"
            decoder.add_jsgf_string(name, menu_jsgf(options))
            self._searches[key] = name
        return name

    def transcribe(
        self, audio: bytes | Path, *, grammar: Sequence[str] | None = None
    ) -> Transcript:
        pcm = read_pcm(audio)
        with self._lock:
            decoder = self._load()
            search = self._grammar_search(decoder, grammar) if grammar else None
            if voiced_seconds(pcm, enough=MIN_VOICED_SECONDS) < MIN_VOICED_SECONDS:
                return Transcript(text="", confidence=0.0)
            if search is not None:
                decoder.activate_search(search)
            else:
                decoder.activate_search()
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            hyp = decoder.hyp()
        text = " ".join(hyp.hypstr.split()) if hyp is not None else ""
        if not text:
            return Transcript(text="", confidence=0.0)
        return Transcript(text=text, confidence=min(1.0, max(0.0, float(hyp.prob))))
