"""The storage contract is checked on both back-ends (the S3 server fixture is in s3_fixtures.py)."""

import pytest

from engage.storage.database import DatabaseStorage
from tests.storage.s3_fixtures import LIMIT


@pytest.fixture(params=["database", "s3"])
def storage(request, db):
    if request.param == "database":
        return DatabaseStorage(max_size=LIMIT)
    return request.getfixturevalue("s3_storage")
