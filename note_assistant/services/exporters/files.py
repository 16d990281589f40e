"""Writing export files atomically: a temporary file in the same folder, then a rename.

Without ``force`` an existing file is never replaced: the final step is ``os.link``, which
fails if the name was taken meanwhile, so two exports cannot overwrite each other either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputExists(FileExistsError):
    pass


def _exists_message(path: Path) -> str:
    return f"{path}: already exists; choose a new file name or add --force"


def check_free(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise OutputExists(_exists_message(path))
    if path.exists() and path.is_dir():
        raise IsADirectoryError(21, "is a folder", str(path))
    if not path.parent.exists():
        raise FileNotFoundError(2, "folder does not exist", str(path.parent))


@contextlib.contextmanager
def staged(path: Path, data: bytes, *, force: bool = False) -> Iterator[Path]:
    """Write ``data`` to a temporary file beside ``path``; publish it when the block succeeds.

    Anything raised inside the block (e.g. the audit write failing) removes the temporary file
    and leaves ``path`` untouched.
    """
    check_free(path, force)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        yield tmp
        if force:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputExists(_exists_message(path)) from None
            except OSError:  # file systems without hard links
                if path.exists():
                    raise OutputExists(_exists_message(path)) from None
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> None:
    with staged(path, data, force=force):
        pass
