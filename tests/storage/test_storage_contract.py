"""The storage interface answers the same on both back-ends: streamed, size-limited, keyed."""

import io
import os

import pytest

from engage.extensions import db
from engage.storage import CHUNK_SIZE, InvalidKey, ObjectNotFound, ObjectTooLarge
from tests.storage.s3_fixtures import LIMIT


def _read(storage, key: str) -> bytes:
    _info, chunks = storage.open(key)
    return b"".join(chunks)


def test_put_then_read_back_with_size_and_type(storage):
    stored = storage.put("exports/report-1.pdf", b"%PDF-1.7 hello", content_type="application/pdf")
    db.session.commit()
    assert (stored.key, stored.size, stored.content_type) == ("exports/report-1.pdf", 14, "application/pdf")
    info = storage.stat("exports/report-1.pdf")
    assert (info.size, info.content_type) == (14, "application/pdf")
    assert storage.exists("exports/report-1.pdf")
    assert _read(storage, "exports/report-1.pdf") == b"%PDF-1.7 hello"


def test_a_large_file_is_written_and_read_in_chunks(storage):
    payload = os.urandom(3 * CHUNK_SIZE + 123)
    storage.put("exports/big.bin", io.BytesIO(payload), content_type="application/octet-stream")
    db.session.commit()
    info, chunks = storage.open("exports/big.bin")
    pieces = list(chunks)
    assert info.size == len(payload) and b"".join(pieces) == payload
    assert len(pieces) >= 4 and max(len(p) for p in pieces) <= CHUNK_SIZE


def test_more_than_the_limit_is_refused_and_nothing_is_stored(storage):
    with pytest.raises(ObjectTooLarge):
        storage.put("exports/too-big.bin", io.BytesIO(b"x" * (LIMIT + 1)), content_type="application/octet-stream")
    db.session.commit()
    assert not storage.exists("exports/too-big.bin")
    with pytest.raises(ObjectTooLarge):
        storage.put("exports/small-limit.bin", b"12345", content_type="text/plain", max_size=4)
    assert storage.stat("exports/small-limit.bin") is None


def test_put_replaces_and_delete_removes(storage):
    storage.put("cache/a.txt", b"first", content_type="text/plain")
    storage.put("cache/a.txt", b"second version", content_type="text/markdown")
    db.session.commit()
    assert _read(storage, "cache/a.txt") == b"second version"
    assert storage.stat("cache/a.txt").content_type == "text/markdown"
    assert storage.delete("cache/a.txt") is True
    db.session.commit()
    assert storage.delete("cache/a.txt") is False
    assert not storage.exists("cache/a.txt")
    with pytest.raises(ObjectNotFound):
        storage.open("cache/a.txt")


@pytest.mark.parametrize("key", ["", "/etc/passwd", "a/../b", "UPPER.txt", "a//b", "x" * 201, "sp ace", "a\x00b"])
def test_keys_outside_the_naming_rule_are_refused(storage, key):
    with pytest.raises(InvalidKey):
        storage.put(key, b"x", content_type="text/plain")
    with pytest.raises(InvalidKey):
        storage.stat(key)


def test_database_objects_follow_the_callers_transaction(db):
    from engage.storage.database import DatabaseStorage

    storage = DatabaseStorage(max_size=LIMIT)
    storage.put("exports/rolled-back.pdf", b"nothing", content_type="application/pdf")
    db.session.rollback()
    assert not storage.exists("exports/rolled-back.pdf")


def test_s3_uploads_past_the_multipart_size_in_parts(s3_storage):
    payload = os.urandom(9 * 1024 * 1024)  # above boto3's 8 MB part size: a multipart upload
    s3_storage.put("exports/multipart.bin", io.BytesIO(payload), content_type="application/octet-stream")
    assert _read(s3_storage, "exports/multipart.bin") == payload
    listed = s3_storage.client.list_objects_v2(Bucket=s3_storage.bucket)["Contents"]
    assert [o["Key"] for o in listed] == ["test/exports/multipart.bin"]  # under the configured prefix
