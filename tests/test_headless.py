"""The core never imports Textual: proven in a fresh interpreter."""

import subprocess
import sys


def test_core_packages_do_not_import_textual():
    code = (
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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_check_command_does_not_import_the_storage_layer(tmp_path):
    """``check`` never opens the database, so start-up must not pay for importing it; the
    program name for audit events is still set (cli) and read by the storage layer later."""
    note = tmp_path / "n.md"
    note.write_text("S: Client reports low mood.\nO: tearful\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from note_assistant.cli import cli  # main() would end the process at once (hard_exit)\n"
        f"sys.argv = ['note-assistant', 'check', {str(note)!r}]\n"
        "try:\n"
        "    cli()\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = sorted(m for m in sys.modules if m.startswith('note_assistant.storage'))\n"
        "assert not bad, bad\n"
        "from note_assistant.storage.audit import AuditEvent\n"
        "assert AuditEvent('x', 'note', '1').source == 'cli', AuditEvent('x', 'note', '1').source\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")



def test_cold_check_is_not_spent_in_the_cyclic_collector(tmp_path):
    """A cold ``check`` creates ~100,000 long-lived objects; at the default collector threshold
    that meant ~290 collections (two of them full). The command line raises the threshold before
    its heavy imports, so only a few run, and the collector stays on for long batches."""
    note = tmp_path / "n.md"
    note.write_text("S: Client reports low mood, denies SI.\nO: tearful\n", encoding="utf-8")
    code = (
        "import gc, sys\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: runs.append(info['generation']) if phase == 'start' else None)\n"
        "from note_assistant.cli import cli  # main() would end the process at once (hard_exit)\n"
        f"sys.argv = ['note-assistant', 'check', {str(note)!r}]\n"
        "try:\n"
        "    cli()\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert gc.isenabled()\n"
        "assert len(runs) <= 20 and 2 not in runs, runs\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
