"""Optional error reporting to Sentry (sentry-sdk) when ENGAGE_SENTRY_DSN is set.

No personal data is sent (the SDK's default: no cookies, no user address, no IP, no request bodies
beyond what its scrubber cleans of fields named like passwords and tokens). Each event carries the request id.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    dsn = app.config["ENGAGE_SENTRY_DSN"]
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["ENGAGE_ENV"],
        traces_sample_rate=app.config["ENGAGE_SENTRY_TRACES_SAMPLE_RATE"],
        integrations=[FlaskIntegration()],
    )

    @app.before_request
    def _tag_request_id():
        from engage.operations.requestlog import request_id

        sentry_sdk.set_tag("request_id", request_id())


def report_exception(exc: BaseException) -> None:
    """Send an error that the error handler turned into a 500 (Flask's signal sees only unhandled ones)."""
    import sentry_sdk

    if sentry_sdk.is_initialized():
        sentry_sdk.capture_exception(exc)
