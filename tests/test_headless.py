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
