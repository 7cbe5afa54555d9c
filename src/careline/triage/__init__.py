"""Triage: how urgent a caller's words are and what they want, from lexicons kept as data.

`model.classify` is the pure decision; `lexicons/*.toml` hold the clinical
vocabulary a clinical lead reviews; `loader` reads them; `transcribe` turns
audio into words for it.
"""
