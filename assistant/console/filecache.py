"""Values read from files, read again only when one of the files changes (the console reads them on every page)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

_values: dict[tuple[str, Path], tuple[tuple[tuple[str, int, int], ...], Any]] = {}
_lock = threading.Lock()


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    files = sorted(path for path in folder.rglob("*.yml") if path.is_file())
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)


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
