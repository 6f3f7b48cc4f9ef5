"""Where "My data" files are kept: one pair of functions, so the file store can be swapped in one place.

Files live under `instance/exports/`; the key is the file name."""

import os
from typing import BinaryIO

from flask import current_app


def _folder() -> str:
    return os.path.join(current_app.instance_path, "exports")


def _path(key: str) -> str:
    if os.path.basename(key) != key or key.startswith("."):
        raise ValueError("not a storage key")
    return os.path.join(_folder(), key)


def save_file(key: str, data: bytes) -> str:
    """Store `data` under `key` (written whole, then renamed: a reader never sees half a file)."""
    os.makedirs(_folder(), exist_ok=True)
    path = _path(key)
    with open(f"{path}.tmp", "wb") as handle:
        handle.write(data)
    os.replace(f"{path}.tmp", path)
    return key


def open_file(key: str) -> BinaryIO:
    """The stored file, for reading; FileNotFoundError if it is gone."""
    return open(_path(key), "rb")


def delete_file(key: str) -> None:
    try:
        os.remove(_path(key))
    except FileNotFoundError:
        pass
