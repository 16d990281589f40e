"""The clinic, report, export and conversion modules are headless and load their heavy
dependencies (fpdf2, fhir.resources) only when a PDF or FHIR export is made."""

import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_clinic_modules_never_import_textual():
    result = _run(
        "import sys\n"
        "import note_assistant.clinic, note_assistant.reports, note_assistant.reports.html\n"
        "import note_assistant.reports.render, note_assistant.services.exporters\n"
        "import note_assistant.services.importer, note_formats.convert\n"
        "import note_assistant.cli.audit, note_assistant.cli.export, note_assistant.cli.convert\n"
        "import note_assistant.cli.import_cmd, note_assistant.cli.config_cmd\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'fpdf', 'fhir')]\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
