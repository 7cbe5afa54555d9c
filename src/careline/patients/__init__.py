"""Patients: who they are, how to reach them, who may speak for them, consent to text."""
