"""Whether this machine can synthesise speech (espeak-ng + sox) for the speech tests.

One marker for every speech test. On a developer machine without the tools the
tests skip and say why (the README's test command must work on a bare machine);
under CI (`CI=true`) they never skip: `.ci/run` installs both tools, and a
missing one makes the tests fail loudly.
"""

from __future__ import annotations

import os
import shutil

import pytest

HAVE_TTS = shutil.which("espeak-ng") is not None and shutil.which("sox") is not None
needs_tts = pytest.mark.skipif(
    not HAVE_TTS and os.environ.get("CI") != "true", reason="espeak-ng and sox are not installed"
)
