"""Modal dialogs: each a ``ModalScreen`` that returns its answer with ``dismiss``."""
