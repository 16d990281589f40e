"""What a fresh interpreter imports and does: the core never imports Textual, ``check`` never
imports the storage layer, and a cold ``check`` is not spent in the cyclic collector."""

import subprocess
import sys


def run_fresh(code: str) -> None:
    """Run ``code`` in a new interpreter; it must end by printing ``ok``."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def check_command(note, command: str = "check") -> str:  # noqa: ANN001 - a pathlib.Path
    """Code that runs ``note-assistant check NOTE`` (or another command) in-process (through
    the click group, as main() would end the process at once: cli.base.hard_exit)."""
    return (
        "import sys\n"
        "from note_assistant.cli import cli\n"
        f"sys.argv = ['note-assistant', {command!r}, {str(note)!r}]\n"
        "try:\n"
        "    cli()\n"
        "except SystemExit:\n"
        "    pass\n"
    )


def test_core_packages_do_not_import_textual():
    run_fresh(
        "import sys\n"
        "import note_formats, abbreviations\n"
        "import note_assistant.storage, note_assistant.services, note_assistant.checks\n"
        "from note_assistant import check_note\n"
        "check_note('S: x\\nO: y')\n"
        "import note_assistant.cli\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )


def test_check_command_does_not_import_the_storage_layer(tmp_path):
    """``check`` never opens the database, so start-up must not pay for importing it; the
    program name for audit events is still set (cli) and read by the storage layer later."""
    note = tmp_path / "n.md"
    note.write_text("S: Client reports low mood.\nO: tearful\n", encoding="utf-8")
    run_fresh(
        check_command(note)
        + "bad = sorted(m for m in sys.modules if m.startswith('note_assistant.storage'))\n"
        "assert not bad, bad\n"
        "from note_assistant.storage.audit import AuditEvent\n"
        "assert AuditEvent('x', 'note', '1').source == 'cli', AuditEvent('x', 'note', '1').source\n"
        "print('ok')\n"
    )


def test_audit_of_files_does_not_import_the_storage_layer(tmp_path):
    """``audit PATH`` never opens the database either; importing the storage layer (and
    sqlite-utils) was about a seventh of a one-note audit's start-up."""
    note = tmp_path / "n.md"
    note.write_text("S: Client reports low mood.\nO: tearful\n", encoding="utf-8")
    run_fresh(
        check_command(note, "audit")
        + "bad = sorted(m for m in sys.modules if m.startswith(('note_assistant.storage', 'sqlite_utils')))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )


def test_cold_check_is_not_spent_in_the_cyclic_collector(tmp_path):
    """A cold ``check`` creates ~100,000 long-lived objects; at the default collector threshold
    that meant ~290 collections (two of them full). The command line raises the threshold before
    its heavy imports, so only a few run, and the collector stays on for long batches."""
    note = tmp_path / "n.md"
    note.write_text("S: Client reports low mood, denies SI.\nO: tearful\n", encoding="utf-8")
    run_fresh(
        "import gc\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(info['generation']) if phase == 'start' else None)\n"
        + check_command(note)
        + "assert gc.isenabled()\n"
        "assert len(runs) <= 20 and 2 not in runs, runs\n"
        "print('ok')\n"
    )
