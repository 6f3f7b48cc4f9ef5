"""The S3-compatible back-end (AWS S3, MinIO, Ceph RGW, …) through boto3, the AWS SDK.

boto3 does what hand-written code should not: request signing (SigV4), multipart uploads of large
objects with retries, and a streamed body on read. Credentials come from ENGAGE_S3_ACCESS_KEY_ID /
ENGAGE_S3_SECRET_ACCESS_KEY when set, else from boto3's usual chain (environment, instance role).
"""

from collections.abc import Iterator
from typing import BinaryIO

from engage.storage import CHUNK_SIZE, ObjectNotFound, StorageError, StoredObject, check_key, read_chunks


class _LimitedReader:
    """A file-like view of the source for boto3 that raises ObjectTooLarge past the limit."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks = chunks
        self._buffer = bytearray()

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        size = len(self._buffer) if size < 0 else size
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


def _is_missing(exc) -> bool:
    return exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}


class S3Storage:
    def __init__(self, client, bucket: str, *, prefix: str = "", max_size: int):
        self.client = client
        self.bucket = bucket
        self.prefix = prefix
        self.max_size = max_size

    @classmethod
    def from_config(cls, config: dict, *, max_size: int) -> "S3Storage":
        import boto3
        from botocore.config import Config

        if not config["ENGAGE_S3_BUCKET"]:
            raise RuntimeError("ENGAGE_STORAGE=s3 needs ENGAGE_S3_BUCKET")
        client = boto3.client(
            "s3",
            endpoint_url=config["ENGAGE_S3_ENDPOINT_URL"] or None,
            region_name=config["ENGAGE_S3_REGION"] or None,
            aws_access_key_id=config["ENGAGE_S3_ACCESS_KEY_ID"] or None,
            aws_secret_access_key=config["ENGAGE_S3_SECRET_ACCESS_KEY"] or None,
            config=Config(signature_version="s3v4", retries={"mode": "standard"}, s3={"addressing_style": "path"}),
        )
        return cls(client, config["ENGAGE_S3_BUCKET"], prefix=config["ENGAGE_S3_PREFIX"], max_size=max_size)

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(
        self, key: str, source: bytes | BinaryIO, *, content_type: str, max_size: int | None = None
    ) -> StoredObject:
        from boto3.s3.transfer import TransferConfig

        limit = self.max_size if max_size is None else min(max_size, self.max_size)
        reader = _LimitedReader(read_chunks(source, key, limit))
        # A multipart upload that fails (ObjectTooLarge included) is aborted by boto3: nothing is stored.
        self.client.upload_fileobj(
            reader,
            self.bucket,
            self._name(key),
            ExtraArgs={"ContentType": content_type},
            Config=TransferConfig(multipart_chunksize=8 * 1024 * 1024, use_threads=False),
        )
        stored = self.stat(key)
        if stored is None:
            raise StorageError(f"{key}: the object store did not keep the upload")
        return stored

    def stat(self, key: str) -> StoredObject | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if _is_missing(exc):
                return None
            raise
        return StoredObject(key, head["ContentLength"], head.get("ContentType", ""), head["LastModified"])

    def exists(self, key: str) -> bool:
        return self.stat(key) is not None

    def open(self, key: str) -> tuple[StoredObject, Iterator[bytes]]:
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as exc:
            if _is_missing(exc):
                raise ObjectNotFound(key) from exc
            raise
        info = StoredObject(key, response["ContentLength"], response.get("ContentType", ""), response["LastModified"])
        return info, response["Body"].iter_chunks(CHUNK_SIZE)

    def delete(self, key: str) -> bool:
        existed = self.exists(key)
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        return existed

    def delete_prefix(self, prefix: str) -> int:
        deleted = 0
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self._name(prefix))
        for page in pages:
            names = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if names:  # at most 1,000 a page, as delete_objects takes
                self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": names, "Quiet": True})
                deleted += len(names)
        return deleted
