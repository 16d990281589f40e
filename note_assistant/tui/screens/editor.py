"""Guided writing with live checks.

One TextArea holds the whole note with its section headings, so the saved text is a normal
note that ``parse_note`` reads back and every finding offset points into what is on screen.
Typing restarts a debounce timer; when it fires, a thread worker runs the checks and posts one
``ChecksCompleted``; a keystroke never waits for them. Autosave keeps the text in the drafts
table within 2 s of a pause (and at least every 1.5 s while typing).
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Footer, Header, Static, TextArea
from textual.worker import get_current_worker

from note_formats import ParsedNote, builtin_formats, parse_note

from ...models import Note, NoteStatus, Role
from ...services.drafts import Draft
from ...services.findings import check_session_note, finding_key
from ..fix_actions import FixActions
from ..marks import marks_for
from ..messages import ChecksCompleted, ChecksFailed
from ..widgets.findings_panel import FindingsPanel
from ..widgets.guide_panel import GuidePanel
from ..widgets.note_editor import NoteEditor
from ..widgets.objectives_panel import ObjectivesPanel
from ..widgets.session_bar import SessionBar
from ..workspace import NoteWorkspace
from .base import AppScreen

NARROW = 72


class EditorScreen(FixActions, AppScreen):
    """The progress-note editor for one draft."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the note (autosave also runs)"),
        Binding("ctrl+r", "review", "Sign", tooltip="Review open findings and sign"),
        Binding("ctrl+r", "submit", "Submit", tooltip="Review open findings and submit for review"),
        Binding("ctrl+t", "psychotherapy", "Private", tooltip="Psychotherapy note (private)"),
        Binding("ctrl+f", "fix", "Fix", tooltip="Fix or dismiss the finding at the cursor"),
        Binding("ctrl+n", "next_finding", "Next", tooltip="Go to the next finding"),
        Binding("ctrl+g", "insert_goal", "Goal", tooltip="Insert a plan goal (GIRP notes)"),
        Binding("f2", "toggle_panel", "Panel", tooltip="Show or hide the side panel"),
        Binding("f3", "details", "Details", tooltip="Edit date, times, CPT, modality, diagnosis"),
        Binding("escape", "back", "Home", tooltip="Save and go back"),
    ]

    def __init__(self, note_id: str, *, restore: Draft | None = None) -> None:
        super().__init__()
        self.note_id = note_id
        """The draft being written."""
        self.restore = restore
        """An autosaved draft to load instead of the saved text (chosen at start-up)."""
        self.ws: NoteWorkspace
        """Note, client, plan and private note shared with the other note screens."""
        self.editor: NoteEditor
        """Direct reference: ``query_one`` is unavailable while unmounting."""
        self.checks_done = 0
        """Check results applied (tests and the benchmark wait on it)."""
        self._last_failure: str | None = None
        """The last failed check run's reason (notified once, not at every pause)."""
        self.last_check_seconds: float | None = None
        self.last_extras: dict = {}
        self.parsed: ParsedNote | None = None
        self._dismissed: set[tuple[str, str]] = set()
        self._check_timer: Timer | None = None
        self._guide_timer: Timer | None = None
        self._draft_dirty = False
        self._discarded = False
        self._last_edit = 0.0
        self._last_draft_save = 0.0
        self._saved_label = "saved"

    # layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        session = self.session
        self.ws = NoteWorkspace.load(session, self.note_id)
        self.fmt = builtin_formats().get(self.ws.note.format) or _clinic_format(self.ws.note.format)
        text = self.restore.text if self.restore else self.ws.note.text
        if self.restore and self.restore.pnote_text is not None:
            self.ws.pnote_text = self.restore.pnote_text
        self.editor = NoteEditor(text, max_chars=self.nav.settings.max_note_chars,
                                 blink=self.nav.settings.cursor_blink, id="note-editor",
                                 read_only=not self.ws.editable)
        self.bar = SessionBar(id="session-bar")
        self.guide = GuidePanel(self.fmt, id="guide")
        self.objectives = ObjectivesPanel(self.ws.plan, goal_hint=self.ws.note.format == "girp",
                                          id="objectives")
        self.panel = FindingsPanel(id="findings")
        self.revision_comments = self._revision_comments()
        self.comments = Static(self.revision_comments, id="review-comments", markup=False)
        self.comments.display = bool(self.revision_comments)
        yield Header()
        yield self.bar
        with Horizontal(id="editor-body"):
            yield self.editor
            with VerticalScroll(id="side", can_focus=False):
                yield self.comments
                yield self.guide
                yield self.panel
                yield self.objectives
        self.footer = Footer(compact=True)
        yield self.footer

    def on_mount(self) -> None:
        self.bar.set_session(self.ws.note, self.ws.client)
        self.nav.register_editor(self)
        self._refresh_dismissed()
        self.set_interval(self.nav.settings.autosave_tick, self._autosave_tick)
        self._layout_for(self.size.width)
        if self.restore is not None:
            self._draft_dirty = True
            self._last_draft_save = time.monotonic()
            self.report("Restored the autosaved text. ctrl+s saves it into the note.")
        elif self.ws.editable:
            self.call_after_refresh(self._offer_draft)
        self._place_cursor()
        if self.restore is None:  # again once laid out, so nothing moves it back to 0,0
            self.call_after_refresh(self._place_cursor)
        self.editor.focus()
        if self.comments.display:
            self.report("Returned for revision: the supervisor's comments are in the side "
                        "panel (f2). Revise, then ctrl+r to resubmit.")
        self._schedule_checks(0.0)

    def _place_cursor(self) -> None:
        """At the end of the first section that has no text yet (else at the end)."""
        parsed = parse_note(self.editor.text, format=self.ws.note.format)
        target = len(self.editor.text)
        for section in parsed.sections:
            if not section.body(parsed.text).strip():
                target = section.body_start
                while target < len(parsed.text) and parsed.text[target] in " \t":
                    target += 1
                if target < len(parsed.text) and parsed.text[target] == "\n":
                    target += 1
                break
        location = self.editor.line_index().location(min(target, len(self.editor.text)))
        self.editor.move_cursor(location)

    def _revision_comments(self) -> str:
        """The supervisor's summary and comments of the last returned round, for the author of
        a note in revision_requested (else empty)."""
        from ...services.review import ReviewService

        note = self.ws.note
        if note.status != NoteStatus.revision_requested or note.author_id != self.session.user.id:
            return ""
        try:
            rounds = ReviewService(self.session.store,
                                   self.session.auth or self.session.user).rounds(note.id)
        except Exception:  # noqa: BLE001 - the comments are a help, never a reason not to edit
            return ""
        returned = [r for r in rounds if r.decision == "returned"]
        if not returned:
            return ""
        last = returned[-1]
        lines = [f"Returned for revision (round {last.round}):"]
        if last.summary:
            lines.append(last.summary)
        for c in last.comments:
            lines.append(f"- \"{c.quote}\": {c.comment}")
        return "\n".join(lines)

    def mark_submitted(self) -> None:
        """After submitting for review: read-only while pending, comments cleared."""
        self._draft_dirty = False
        self.editor.read_only = True
        self.comments.display = False
        self.bar.set_status(self._status("submitted for review"))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        trainee = self.session.user.role == Role.trainee
        if action == "review":
            return not trainee
        if action == "submit":
            return trainee
        if action == "insert_goal":  # GIRP's Goal section; other formats link objectives by fix
            return self.ws.note.format == "girp" if hasattr(self, "ws") else False
        return True

    def on_resize(self) -> None:
        self._layout_for(self.size.width)

    def _layout_for(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= NARROW, "-wide")
        # every editor key fits in 80 columns once the palette hint (ctrl+p) steps aside
        self.footer.show_command_palette = width >= 96

    def on_unmount(self) -> None:
        if not self._discarded:
            try:
                self.save_now()
            except Exception:  # noqa: BLE001 - the autosaved draft still holds the text
                self.autosave_now()
        self.nav.unregister_editor(self)

    # typing -----------------------------------------------------------------------------------
    @on(TextArea.Changed, "#note-editor")
    def _typed(self) -> None:
        self._last_edit = time.monotonic()
        if not self._draft_dirty:
            self._draft_dirty = True
        self._schedule_checks(self.nav.settings.check_delay)

    @on(TextArea.SelectionChanged, "#note-editor")
    def _moved(self) -> None:
        if time.monotonic() - self._last_edit < self.nav.settings.check_delay:
            return  # typing: the check debounce updates the guide
        if self._guide_timer is not None:
            self._guide_timer.stop()
        self._guide_timer = self.set_timer(0.15, self._update_guide)

    def _schedule_checks(self, delay: float) -> None:
        if self._check_timer is not None:
            self._check_timer.stop()
        self._check_timer = self.set_timer(max(delay, 0.01), self._start_checks)

    def _start_checks(self) -> None:
        text = self.editor.text
        self.parsed = parse_note(text, format=self.ws.note.format)
        self._update_guide()
        self.bar.set_status(self._status("checking..."))
        note = self.ws.note.model_copy(update={"text": text})
        self._check(note, self.editor.generation)

    @work(thread=True, exclusive=True, exit_on_error=False, group="checks")
    def _check(self, note: Note, generation: int) -> None:
        started = time.perf_counter()
        ws = self.ws
        try:
            result = check_session_note(note, client=ws.client, author=ws.author, plan=ws.plan,
                                        history=ws.history, today=self.session.today)
        except Exception as exc:  # noqa: BLE001 - the UI boundary: say so, keep the text
            if not get_current_worker().is_cancelled:
                reason = (str(exc) if isinstance(exc, ValueError)
                          else f"{type(exc).__name__}; your text is safe")
                self.post_message(ChecksFailed(generation, f"checks failed: {reason}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ChecksCompleted(generation, result.findings, result.extras,
                                              time.perf_counter() - started))

    def on_checks_completed(self, message: ChecksCompleted) -> None:
        findings = [f for f in message.findings if finding_key(f) not in self._dismissed]
        dismissed = len(message.findings) - len(findings)
        self.editor.set_findings(marks_for(findings), message.generation)
        self.panel.show(self.editor.marks, dismissed=dismissed)
        self.objectives.show(message.extras)
        self.last_extras = message.extras
        self.last_check_seconds = message.elapsed
        self.checks_done += 1
        self.bar.set_status(self._status())

    def on_checks_failed(self, message: ChecksFailed) -> None:
        self.bar.set_status(self._status(message.reason))
        if message.reason != self._last_failure:  # once per reason, not at every pause
            self._last_failure = message.reason
            self.notify(message.reason, severity="warning", timeout=8)

    def _status(self, state: str | None = None) -> str:
        if state is None:
            n = len(self.editor.marks)
            state = f"{n} finding{'s' if n != 1 else ''}"
        return f"{state} | {self._saved_label}"

    def _update_guide(self) -> None:
        if self.parsed is None:
            self.parsed = parse_note(self.editor.text, format=self.ws.note.format)
        section = self.parsed.section_at(min(self.editor.cursor_index(), max(len(self.parsed.text) - 1, 0)))
        self.guide.show(self.parsed, section.key if section else None)

    def _refresh_dismissed(self) -> None:
        self._dismissed = {(d.rule_id, d.text) for d in self.session.findings.dismissals(self.note_id)}

    # saving -----------------------------------------------------------------------------------
    def _autosave_tick(self) -> None:
        if not self._draft_dirty:
            return
        now = time.monotonic()
        settings = self.nav.settings
        if (now - self._last_edit >= settings.autosave_pause
                or now - self._last_draft_save >= settings.autosave_max_wait):
            try:
                self.autosave_now()
            except Exception as exc:  # noqa: BLE001 - e.g. a read-only database; retry later
                self._last_draft_save = now
                self.bar.set_status(self._status(f"AUTOSAVE FAILED ({type(exc).__name__})"))

    def has_unsaved(self) -> bool:
        return not self._discarded and self.ws.dirty(self.editor.text)

    def autosave_now(self) -> None:
        if self._discarded or not self.ws.editable or not self.ws.dirty(self.editor.text):
            self._draft_dirty = False
            return
        self.ws.autosave(self.session, self.editor.text)
        self._draft_dirty = False
        self._last_draft_save = time.monotonic()
        self._saved_label = f"autosaved {self.session.clock():%H:%M:%S}"
        self.bar.set_status(self._status())

    def save_now(self) -> None:
        if self._discarded or not self.ws.editable:
            return
        if self.ws.save(self.session, self.editor.text):
            self._saved_label = f"saved {self.session.clock():%H:%M:%S}"
        self._draft_dirty = False
        if self.is_mounted:
            self.bar.set_status(self._status())

    def discard_changes(self) -> None:
        self.session.drafts.discard(self.note_id)
        self._discarded = True

    def _offer_draft(self) -> None:
        from ..dialogs.choice import ChoiceDialog

        draft = self.session.drafts.restorable(self.note_id)
        if draft is None:
            return
        saved = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")

        def answer(value: str | None) -> None:
            if value == "restore":
                self.editor.replace_span(0, len(self.editor.text), draft.text)
                if draft.pnote_text is not None:
                    self.ws.pnote_text = draft.pnote_text
                self._draft_dirty = True
            elif value == "discard":
                self.session.drafts.discard(self.note_id)

        self.app.push_screen(ChoiceDialog(
            "Restore unsaved text?",
            f"Text autosaved at {saved} is newer than the saved note.",
            [("r", "Restore it", "restore"), ("d", "Discard it", "discard"), ("k", "Keep the saved note", "keep")],
        ), answer)

    # actions ----------------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.attempt("Not saved", self.save_now):
            self.report("Saved.")

    def action_back(self) -> None:
        if self.attempt("Not saved", self.save_now):
            self.app.pop_screen()

    def action_review(self) -> None:
        from .review import ReviewScreen

        if self.attempt("Not saved", self.save_now):
            self.app.push_screen(ReviewScreen(self.ws, editor=self))

    def action_submit(self) -> None:
        from .submit_review import SubmitScreen

        if not self.ws.editable:
            self.report(f"This note is {self.ws.note.status.value}: nothing to submit.",
                        severity="warning")
            return
        if self.attempt("Not saved", self.save_now):
            self.app.push_screen(SubmitScreen(self.ws, editor=self))

    def action_psychotherapy(self) -> None:
        from .psychotherapy import PsychotherapyScreen

        if self.attempt("Not saved", self.save_now):
            self.app.push_screen(PsychotherapyScreen(self.ws, self))

    def action_toggle_panel(self) -> None:
        self.toggle_class("-panel-toggled")

    def on_screen_resume(self) -> None:
        self._refresh_dismissed()
        self._schedule_checks(0.0)


def _clinic_format(key: str):  # noqa: ANN202 - NoteFormat | None
    from .new_note import clinic_formats

    return clinic_formats().get(key)
