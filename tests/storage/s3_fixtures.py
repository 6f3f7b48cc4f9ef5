"""Both storage back-ends: the database one on the suite's database, S3 on a server on loopback.

No production S3 server installs from the registries this project can reach (MinIO is not packaged;
Debian's radosgw needs a whole Ceph cluster), so the S3 back-end is tested against moto's standalone
server: it speaks the S3 HTTP protocol (SigV4-signed requests, multipart uploads), and our code reaches
it through boto3 over a real socket, exactly as it reaches AWS or MinIO.
"""

import uuid

import pytest

from engage.storage.s3 import S3Storage

S3_HOST, S3_PORT = "127.0.0.12", 51210
LIMIT = 12 * 1024 * 1024


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address=S3_HOST, port=S3_PORT, verbose=False)
    server.start()
    yield f"http://{S3_HOST}:{S3_PORT}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server):
    config = {
        "ENGAGE_S3_BUCKET": f"engage-{uuid.uuid4().hex[:12]}",
        "ENGAGE_S3_ENDPOINT_URL": s3_server,
        "ENGAGE_S3_REGION": "eu-central-1",
        "ENGAGE_S3_PREFIX": "test/",
        "ENGAGE_S3_ACCESS_KEY_ID": "engage-test",
        "ENGAGE_S3_SECRET_ACCESS_KEY": "engage-test-secret",
    }
    storage = S3Storage.from_config(config, max_size=LIMIT)
    storage.client.create_bucket(
        Bucket=config["ENGAGE_S3_BUCKET"], CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    return storage
