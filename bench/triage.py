"""Triage latency: one call of `careline.triage.service.triage` (rules and the
embedding layer), against two baselines measured in the same run: the rules alone
and a bare tokenisation of the same words. Issue 8 asks for < 20 ms a call.

    .venv/bin/python bench/run.py triage
"""

from __future__ import annotations

import statistics
import time

from careline.triage.model import classify
from careline.triage.service import shipped_lexicon, triage
from careline.triage.text import tokenize

SENTENCES = [
    "hi yes um I'm calling because my dad has this pressure in his chest going to his jaw",
    "I need to reschedule my appointment for next Tuesday please",
    "mi bebé de 2 meses tiene 38,3 de temperatura y no quiere comer",
    "can I get a refill on my lisinopril, I'm almost out",
    "my sugar is 45 and I'm shaky",
    "necesito una copia de mis resultados de sangre",
    "no chest pain, I just need to move my visit",
    "she swallowed a button battery about ten minutes ago",
]
ROUNDS = 30


def _per_call_ms(fn) -> list[float]:
    times: list[float] = []
    for _ in range(ROUNDS):
        for text in SENTENCES:
            start = time.perf_counter()
            fn(text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    lexicon = shipped_lexicon()
    triage(SENTENCES[0])  # load the model and the bank once, as a process does
    results = {
        "tokenize only (baseline)": _per_call_ms(tokenize),
        "rules only": _per_call_ms(lambda t: classify(t, lexicon)),
        "rules + embedding layer": _per_call_ms(triage),
    }
    base = statistics.median(results["tokenize only (baseline)"])
    rules = statistics.median(results["rules only"])
    for name, times in results.items():
        times.sort()
        p50 = statistics.median(times)
        p99 = times[int(len(times) * 0.99) - 1]
        print(
            f"{name:28s} p50 {p50:8.3f} ms  p99 {p99:8.3f} ms  "
            f"{p50 / base:8.1f}x tokenize  {p50 / rules:6.2f}x rules"
        )


if __name__ == "__main__":
    main()
