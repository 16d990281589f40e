"""note-assistant's own spaCy components (factories ``note_assistant_*``).

Importing this package registers the factories. They are also exposed through the
``spacy_factories`` entry point so ``nlp.add_pipe("note_assistant_process_content")`` works in
anyone's pipeline once the package is installed.
"""

from .process_content import ProcessContent, make_process_content
from .sentences import NoteSentences, make_note_sentences

__all__ = ["NoteSentences", "ProcessContent", "make_note_sentences", "make_process_content"]
