"""spaCy loads without its command line, and the command line still works when asked for."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = r"""
import sys
import note_assistant
from note_assistant.nlp import get_nlp
get_nlp()
assert "spacy" in sys.modules
skipped = [m for m in ("spacy.cli", "typer", "requests", "weasel") if m in sys.modules]
assert not skipped, skipped
import spacy
info = spacy.info(silent=True)             # loads the real command line on demand
assert info["spacy_version"] == spacy.__version__, info
import spacy.cli
assert callable(spacy.cli.setup_cli)
assert "requests" in sys.modules
print("ok")
"""


def test_spacy_imports_without_its_cli_and_the_cli_still_loads_later():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_spacy_imported_first_is_left_alone():
    script = ("import sys, spacy\nimport note_assistant\n"
              "assert 'spacy.cli' in sys.modules and not any("
              "type(f).__name__ == '_Finder' for f in sys.meta_path)\nprint('ok')")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
