"""Shared helpers for the clinic tests: a CLI runner and synthetic notes."""

from __future__ import annotations

from click.testing import CliRunner


def run(*args: str, input: str | None = None):  # noqa: A002
    """Run the CLI like a user would; returns click's Result (exit_code, stdout, stderr)."""
    from note_assistant.cli import cli

    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=True)


SOAP_NOTE = """\
Client: Avery Quinn
Date: 2026-11-20
Clinician: Dana Reyes
Start: 10:00
End: 10:50
CPT: 90834

Subjective: Client reported low mood most days this week and sleeping five hours a night, with work stress.
Objective: Casually dressed, affect constricted, speech slow; PHQ-9 = 16 (last session 19).
Assessment: Depressive symptoms improving slowly; partial progress toward objective 1. Denies SI/HI; risk low.
Plan: Continue weekly CBT; thought record three times; next session in one week.
"""

BIRP_NOTE = """\
Client: Jordan Ellis
Date: 2026-11-21
Clinician: Sam Patel

## Behavior

Client arrived on time and reported three panic attacks this week, fewer than last week.

## Intervention

Interoceptive exposure (spinning, breath holding) and review of the exposure hierarchy.

## Response

Completed three trials; SUDS fell from 70 to 30 and the client named one safety behaviour to drop.

## Plan

Daily exposure practice ten minutes; next session in one week.
"""

BROKEN_NOTE = """\
Client: Riley Brooks
Date: 2026-11-22
Clinician: Sam Patel

S: Client reported nightmares four nights this week.
O: Tired, tearful.
"""
