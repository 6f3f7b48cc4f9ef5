"""The default back-end: objects in the application's database, in chunks of CHUNK_SIZE bytes.

It works in the caller's session, like every other write: ``put`` flushes, the caller commits, and
the object is then visible to every host; a rolled-back transaction stores nothing. Reads go chunk by
chunk, so a large export is never held in memory whole.
"""

from collections.abc import Iterator
from typing import BinaryIO

import sqlalchemy as sa

from engage.extensions import db
from engage.storage import ObjectNotFound, StoredObject, check_key, read_chunks
from engage.storage.models import StoredFile, StoredFileChunk
from engage.timeutil import utcnow

_files = StoredFile.__table__
_chunks = StoredFileChunk.__table__


class DatabaseStorage:
    def __init__(self, *, max_size: int):
        self.max_size = max_size

    def put(
        self, key: str, source: bytes | BinaryIO, *, content_type: str, max_size: int | None = None
    ) -> StoredObject:
        check_key(key)
        limit = self.max_size if max_size is None else min(max_size, self.max_size)
        try:
            with db.session.begin_nested():
                return self._put(key, source, content_type, limit)
        except sa.exc.IntegrityError:
            # Another transaction stored the same key and committed while we wrote: replace theirs.
            if not isinstance(source, bytes | bytearray | memoryview):
                if not source.seekable():
                    raise
                source.seek(0)
            with db.session.begin_nested():
                return self._put(key, source, content_type, limit)

    @staticmethod
    def _put(key, source, content_type, limit) -> StoredObject:
        now = utcnow()
        session = db.session
        session.execute(sa.delete(_files).where(_files.c.key == key))
        file_id = session.execute(
            sa.insert(_files).values(key=key, content_type=content_type, size=0, created_at=now)
        ).inserted_primary_key[0]
        size = 0
        for position, chunk in enumerate(read_chunks(source, key, limit)):
            session.execute(sa.insert(_chunks).values(file_id=file_id, position=position, data=chunk))
            size += len(chunk)
        session.execute(sa.update(_files).where(_files.c.id == file_id).values(size=size))
        return StoredObject(key=key, size=size, content_type=content_type, created_at=now)

    def stat(self, key: str) -> StoredObject | None:
        check_key(key)
        row = db.session.execute(sa.select(_files).where(_files.c.key == key)).first()
        return None if row is None else StoredObject(row.key, row.size, row.content_type, row.created_at)

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def open(self, key: str) -> tuple[StoredObject, Iterator[bytes]]:
        check_key(key)
        row = db.session.execute(sa.select(_files).where(_files.c.key == key)).first()
        if row is None:
            raise ObjectNotFound(key)
        return StoredObject(row.key, row.size, row.content_type, row.created_at), self._chunks(row.id, key)

    @staticmethod
    def _chunks(file_id: int, key: str) -> Iterator[bytes]:
        """One chunk per query: memory stays at one chunk however large the object."""
        positions = db.session.scalars(
            sa.select(_chunks.c.position).where(_chunks.c.file_id == file_id).order_by(_chunks.c.position)
        ).all()
        for position in positions:
            data = db.session.scalar(
                sa.select(_chunks.c.data).where(_chunks.c.file_id == file_id, _chunks.c.position == position)
            )
            if data is None:
                raise ObjectNotFound(f"{key} was replaced or deleted while it was read")
            yield bytes(data)

    def delete(self, key: str) -> bool:
        check_key(key)
        return db.session.execute(sa.delete(_files).where(_files.c.key == check_key(key))).rowcount > 0

    def delete_prefix(self, prefix: str) -> int:
        check_key(prefix)
        return db.session.execute(sa.delete(_files).where(_files.c.key.startswith(prefix, autoescape=True))).rowcount
