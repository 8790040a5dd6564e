"""Values read from YAML files, read again only when one of the files changes (the console reads them on every
page, and checks the knowledge on every save)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

Signature = tuple[tuple[str, int, int, int], ...]
_values: dict[tuple[str, Path], tuple[Signature, Any]] = {}
_lock = threading.Lock()


def _signature(folder: Path) -> Signature:
    """Each file's name, inode, time and size: a file replaced (a new inode) or written again is a change."""
    stats = [(path, path.stat()) for path in sorted(folder.rglob("*.yml")) if path.is_file()]
    return tuple((str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size) for path, stat in stats)


def read_cached(name: str, folder: Path, read: Callable[[], Any]) -> Any:
    """`read()`, or what it gave last time if no YAML file under `folder` changed since."""
    signature = _signature(folder)
    with _lock:
        cached = _values.get((name, folder))
        if cached is not None and cached[0] == signature:
            return cached[1]
    value = read()
    with _lock:
        _values[(name, folder)] = (signature, value)
    return value
