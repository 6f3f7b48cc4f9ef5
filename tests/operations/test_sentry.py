"""With ENGAGE_SENTRY_DSN set, an unexpected error reaches Sentry (a receiver on loopback) with the request id."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sentry_sdk

HOST, PORT = "127.0.0.13", 51211


@pytest.fixture
def sentry_receiver():
    envelopes: list[bytes] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":
                import brotli

                body = brotli.decompress(body)
            envelopes.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((HOST, PORT), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield envelopes
    server.shutdown()
    server.server_close()
    sentry_sdk.init()  # no DSN: the SDK stops sending for the rest of the suite


def test_unexpected_errors_are_reported_with_the_request_id_and_without_secrets(other_app, sentry_receiver):
    app = other_app(WTF_CSRF_ENABLED=False, ENGAGE_SENTRY_DSN=f"http://publickey@{HOST}:{PORT}/1")

    def broken():
        raise RuntimeError("the disk caught fire")

    app.add_url_rule("/api/v1/broken", view_func=broken, methods=["POST"])
    # Built at run time: the event carries the test's own source lines, which must not count as a leak.
    password, token = "hunter2-" + "very-secret", "eng_secret_" + "token_value"
    response = app.test_client().post(
        "/api/v1/broken",
        json={"password": password},
        headers={"X-Request-ID": "sentry-check-1", "Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 500 and response.get_json()["request_id"] == "sentry-check-1"
    sentry_sdk.flush(timeout=10)
    events = [json.loads(line) for body in sentry_receiver for line in body.splitlines()[1:] if b'"exception"' in line]
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["value"] == "the disk caught fire"
    assert event["tags"]["request_id"] == "sentry-check-1"
    raw = b"".join(sentry_receiver)
    assert password.encode() not in raw and token.encode() not in raw
