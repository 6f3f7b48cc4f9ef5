import pytest

from engage import create_app


@pytest.fixture
def other_app(app, database_url):
    """Another app on the suite's database, with its own settings (rate limits off unless asked for).

    Flask-Limiter keeps one configuration, that of the last app it was initialised for: it is given the
    suite's app back afterwards, so the settings of this one do not leak into later tests.
    """
    from engage.extensions import limiter

    def make(**config):
        settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False}
        return create_app({**settings, **config})

    yield make
    limiter.init_app(app)
