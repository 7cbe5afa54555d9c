"""The virtual carrier's recording store: call recordings served the way a provider does.

A provider keeps what a `<Record>` captured and announces its URL
(`RecordingUrl`, with no extension); the application downloads the media by
appending `.wav`, authenticated with HTTP basic auth (account SID and auth
token). This store does the same on loopback: a small threaded `http.server`
answering `GET {base}/2010-04-01/Accounts/{AccountSid}/Recordings/{sid}.wav`
(or `/Recordings/{sid}.wav`) behind basic auth, 404 for unknown recordings.

The audio of a scripted caller is synthesised from their words with espeak-ng,
then made telephone-like with sox (8 kHz, mono, 16-bit), so what careline
transcribes is real speech at the rate a phone line carries. Test bodies
(truncated files, HTML error pages, huge files) can be stored as they are.
"""

from __future__ import annotations

import base64
import hmac
import io
import re
import shutil
import subprocess
import tempfile
import threading
import wave
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

#: A telephone line's audio: what the store's synthesised recordings are.
PHONE_RATE = 8_000
_PATH = re.compile(
    r"^(?:/2010-04-01/Accounts/(?P<account>AC[0-9A-Za-z]{1,64}))?"
    r"/Recordings/(?P<sid>RE[0-9A-Za-z]{1,64})\.wav$"
)


class SynthesisUnavailable(RuntimeError):
    """espeak-ng or sox is missing or failed: no recording can be made from words."""


@dataclass(frozen=True)
class Served:
    """One request the store answered (ids and status only: no audio, no credentials)."""

    path: str
    status: int


def tts_available() -> bool:
    """Whether this machine can synthesise recordings (espeak-ng and sox installed)."""
    return shutil.which("espeak-ng") is not None and shutil.which("sox") is not None


def synthesise(text: str, *, voice: str = "en-us+f2", speed: int = 150) -> bytes:
    """A WAV file (8 kHz, mono, 16-bit) of espeak-ng saying `text`.

    The words go to espeak-ng on standard input, so a caller's words are never
    read as options. `en-us+f2` at 150 words a minute is the voice measured to
    come through the telephone band best (see tests/telephony/test_onprem_speech.py).
    """
    if not text.strip():
        raise ValueError("nothing to say")
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if espeak is None or sox is None:
        raise SynthesisUnavailable("espeak-ng and sox are needed to synthesise recordings")
    with tempfile.TemporaryDirectory(prefix="careline-tts-") as tmp:
        raw, out = Path(tmp) / "raw.wav", Path(tmp) / "phone.wav"
        phone = ["-r", str(PHONE_RATE), "-c", "1", "-b", "16", "-e", "signed-integer"]
        try:
            # Fixed programs and arguments; the words travel on standard input.
            subprocess.run(  # noqa: S603
                [espeak, "-v", voice, "-s", str(speed), "--stdin", "-w", str(raw)],
                input=text.encode(),
                check=True,
                capture_output=True,
                timeout=60,
            )
            subprocess.run(  # noqa: S603
                [sox, str(raw), *phone, str(out)], check=True, capture_output=True, timeout=60
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SynthesisUnavailable(f"speech synthesis failed ({type(exc).__name__})") from None
        return out.read_bytes()


def wav_seconds(body: bytes) -> float:
    """Length of a WAV file in seconds (0.0 when it is not a readable WAV file)."""
    try:
        with wave.open(io.BytesIO(body)) as w:
            frames: int = w.getnframes()
            rate: int = w.getframerate()
        return frames / float(rate or 1)
    except (wave.Error, EOFError, RuntimeError, ValueError, OSError):
        return 0.0


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client hanging up mid-body (a download over its size cap) is normal."""


class RecordingStore:
    """Recordings of one provider account, served over HTTP on 127.0.0.1.

    Use as a context manager (or `start()`/`close()`); `recording_url(sid)` is
    what the carrier announces as `RecordingUrl`.
    """

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        voice: str = "en-us+f2",
        speed: int = 150,
        host: str = "127.0.0.1",
    ) -> None:
        self.account_sid = account_sid
        self._credentials = f"{account_sid}:{auth_token}".encode()
        self.voice = voice
        self.speed = speed
        self._host = host
        self._bodies: dict[str, tuple[bytes, str]] = {}
        self._moved: dict[str, str] = {}
        self._lock = threading.Lock()
        self.served: list[Served] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- content

    def put(self, sid: str, body: bytes, *, content_type: str = "audio/x-wav") -> str:
        """Store a recording's bytes as they are; returns its RecordingUrl."""
        if not re.fullmatch(r"RE[0-9A-Za-z]{1,64}", sid):
            raise ValueError("a recording sid is RE followed by letters and digits")
        with self._lock:
            self._bodies[sid] = (body, content_type)
        return self.recording_url(sid)

    def redirect(self, sid: str, location: str) -> str:
        """Answer this recording with a 302 to `location`, as providers hand media out
        from a storage URL; returns its RecordingUrl."""
        with self._lock:
            self._moved[sid] = location
        return self.recording_url(sid)

    def speak(self, sid: str, text: str) -> float:
        """Store the caller's words as telephone audio; returns its length in seconds."""
        body = synthesise(text, voice=self.voice, speed=self.speed)
        self.put(sid, body)
        return wav_seconds(body)

    def recording_url(self, sid: str) -> str:
        """The provider's form: no extension (the application appends `.wav`)."""
        return f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Recordings/{sid}"

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the recording store is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # ---------------------------------------------------------------- serving

    def _answer(self, path: str, authorization: str | None) -> tuple[int, bytes, dict[str, str]]:
        expected = b"Basic " + base64.b64encode(self._credentials)
        if authorization is None or not hmac.compare_digest(authorization.encode(), expected):
            return 401, b"", {"WWW-Authenticate": 'Basic realm="Recordings"'}
        match = _PATH.fullmatch(path)
        if match is None or match["account"] not in (None, self.account_sid):
            return 404, b"", {}
        with self._lock:
            found = self._bodies.get(match["sid"])
            moved = self._moved.get(match["sid"])
        if moved is not None:
            return 302, b"", {"Location": moved}
        if found is None:
            return 404, b"", {}
        body, content_type = found
        return 200, body, {"Content-Type": content_type}

    def start(self) -> RecordingStore:
        if self._server is not None:
            return self
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                status, body, headers = store._answer(path, self.headers.get("Authorization"))
                with store._lock:
                    store.served.append(Served(path, status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Silent: request lines are not this store's business to print."""

        self._server = _Server((self._host, 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="carrier-recordings", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> RecordingStore:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
