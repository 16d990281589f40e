"""Fixtures for supervision: the demo clinic plus a second supervisor with their own trainee."""

from __future__ import annotations

import pytest

from .support import CASEY, QUINN


@pytest.fixture
def clinic(store):
    """The demo clinic (with its supervision notes) plus quinn (another supervisor) and casey
    (quinn's trainee)."""
    from note_assistant.demo import create_demo

    from .support import TODAY

    create_demo(store, today=TODAY, supervision=True)
    demo_store = store
    demo_store.add_user(QUINN)
    demo_store.add_user(CASEY)
    return demo_store

