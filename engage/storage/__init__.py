"""One storage interface for the files Engage makes: compiled exports, cached PDFs, data exports.

Every web host and the scheduler must see the same files, so nothing is kept on a local disk. Two
back-ends answer the same small interface (`Storage`), chosen with ``ENGAGE_STORAGE``:

- ``database`` (default): the file is stored in chunks in the application's own database (SQLite or
  PostgreSQL), so a deployment needs nothing else. Suited to files up to some tens of MB.
- ``s3``: an S3-compatible object store (AWS S3, MinIO, Ceph RGW, …) through boto3, for large
  deployments.

The contract, the same for both:

- **Keys** are names such as ``exports/minutes-12.pdf``: lower-case letters, digits and ``._-/``, at
  most 200 characters, no ``..`` and no leading ``/``. The caller chooses them; a feature uses its
  own prefix.
- ``put(key, source, content_type=…)`` reads ``source`` (bytes or a binary file object) in chunks,
  never whole, and refuses more than ``max_size`` bytes (``ENGAGE_STORAGE_MAX_BYTES``) with
  `ObjectTooLarge`, storing nothing. It replaces an object of the same key (last writer wins).
- **Transactions**: like a service, ``put`` and ``delete`` do not commit. The database back-end
  writes in the caller's session, so the object appears (on every host) when the caller commits and
  not at all if it rolls back. An object store cannot take part in the transaction: the S3 back-end
  stores at once. So choose keys that a retry overwrites (``exports/minutes-export-<job id>.pdf``),
  record the key in the same transaction, and commit right after ``put``. On SQLite, a GET request's
  transaction is a reader: commit before ``put`` so that the write starts a transaction of its own.
- ``stat(key)`` → `StoredObject` (key, size, content type, created at) or None; ``exists(key)``.
- ``open(key)`` → (`StoredObject`, an iterator of byte chunks) or raises `ObjectNotFound`: read it
  lazily, e.g. as a streamed response (`send_object`).
- ``delete(key)`` → whether something was deleted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Protocol

from flask import Flask, Response, current_app, stream_with_context

CHUNK_SIZE = 256 * 1024
_KEY = re.compile(r"^[a-z0-9][a-z0-9._/-]{0,199}$")


class StorageError(Exception):
    """Something about a stored object went wrong."""


class ObjectNotFound(StorageError):
    pass


class ObjectTooLarge(StorageError):
    def __init__(self, key: str, max_size: int):
        super().__init__(f"{key}: larger than the storage limit of {max_size} bytes")
        self.max_size = max_size


class InvalidKey(StorageError, ValueError):
    pass


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str
    created_at: datetime


class Storage(Protocol):
    max_size: int

    def put(
        self, key: str, source: bytes | BinaryIO, *, content_type: str, max_size: int | None = None
    ) -> StoredObject: ...

    def stat(self, key: str) -> StoredObject | None: ...

    def exists(self, key: str) -> bool: ...

    def open(self, key: str) -> tuple[StoredObject, Iterator[bytes]]: ...

    def delete(self, key: str) -> bool: ...

    def delete_prefix(self, prefix: str) -> int: ...


def check_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY.match(key) or ".." in key or "//" in key:
        raise InvalidKey(f"not a storage key: {key!r}")
    return key


def read_chunks(source: bytes | BinaryIO, key: str, max_size: int) -> Iterator[bytes]:
    """The source in chunks of at most CHUNK_SIZE bytes; ObjectTooLarge as soon as it passes max_size."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = memoryview(source)
        if len(data) > max_size:
            raise ObjectTooLarge(key, max_size)
        for start in range(0, len(data), CHUNK_SIZE):
            yield bytes(data[start : start + CHUNK_SIZE])
        return
    total = 0
    while chunk := source.read(CHUNK_SIZE):
        total += len(chunk)
        if total > max_size:
            raise ObjectTooLarge(key, max_size)
        yield chunk


def init_app(app: Flask) -> None:
    """Build the configured back-end once per app (``ENGAGE_STORAGE``: database or s3)."""
    from engage.storage import models  # noqa: F401  (the tables exist whichever back-end is chosen)

    kind = app.config["ENGAGE_STORAGE"]
    max_size = app.config["ENGAGE_STORAGE_MAX_BYTES"]
    if kind == "database":
        from engage.storage.database import DatabaseStorage

        storage: Storage = DatabaseStorage(max_size=max_size)
    elif kind == "s3":
        from engage.storage.s3 import S3Storage

        storage = S3Storage.from_config(app.config, max_size=max_size)
    else:
        raise RuntimeError(f"ENGAGE_STORAGE must be 'database' or 's3', not {kind!r}")
    app.extensions["engage.storage"] = storage


def get_storage() -> Storage:
    return current_app.extensions["engage.storage"]


def read_bytes(key: str) -> bytes:
    """A whole (small) object in memory: for code that needs bytes, such as a PDF checked in tests."""
    _info, chunks = get_storage().open(key)
    return b"".join(chunks)


def send_object(key: str, *, download_name: str, as_attachment: bool = True) -> Response:
    """A streamed response of a stored object, with its size and type; chunks are read as they are sent."""
    info, chunks = get_storage().open(key)
    response = Response(stream_with_context(chunks), mimetype=info.content_type, direct_passthrough=True)
    response.content_length = info.size
    disposition = "attachment" if as_attachment else "inline"
    response.headers.set("Content-Disposition", disposition, filename=download_name)
    return response
