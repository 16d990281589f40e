"""Trainee feedback over time: open findings per note as a Sparkline, and the report table."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from ...reports.trainee import TraineeReport, trainee_report
from .base import AppScreen


class TraineeReportScreen(AppScreen):
    """One trainee's last N notes: findings, revision rounds, days to co-signature."""

    BINDINGS = [Binding("escape", "back", "Back")]

    def __init__(self, trainee: str, last: int = 10) -> None:
        super().__init__()
        self.trainee = trainee
        """The trainee's user name."""
        self.last = last
        """How many recent notes."""
        self.result: TraineeReport | None = None
        self._title = Static(f"Trainee report: {trainee}", id="trainee-title", markup=False)
        self._chart = Sparkline([], id="trainee-chart")
        self._table = DataTable(id="trainee-table", cursor_type="row")
        self._summary = Static("", id="trainee-summary", markup=False)

    def compose(self) -> ComposeResult:
        yield Header()
        yield self._title
        yield Static("Open findings per note (oldest to newest)")
        yield self._chart
        yield self._table
        yield self._summary
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._table.add_columns("session", "status", "findings", "rounds", "returned", "days")
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="trainee-report")
    def _load(self) -> None:
        result = trainee_report(self.session.store, self.session.auth or self.session.user,
                                self.trainee, last=self.last, today=self.session.today)
        self.app.call_from_thread(self._show, result)

    def _show(self, result: TraineeReport) -> None:
        self.result = result
        self._chart.data = [float(n.total) for n in result.notes]
        for n in result.notes:
            self._table.add_row(str(n.date_of_service), n.status.value, str(n.total),
                                str(n.rounds), str(n.returned),
                                "-" if n.days_to_cosign is None else str(n.days_to_cosign))
        s = result.summary()
        self._summary.update(f"{s['notes']} note(s); findings per note {s['findings_per_note']}; "
                             f"returned rounds {s['returned_rounds']}; mean days to co-signature "
                             f"{s['mean_days_to_cosign'] if s['mean_days_to_cosign'] is not None else '-'}")

    def action_back(self) -> None:
        self.app.pop_screen()
