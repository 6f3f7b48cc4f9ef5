"""The production topology on one machine: two web hosts, two scheduler processes, PostgreSQL and Redis.

Host A and host B are gunicorn servers (2 workers each) on different loopback addresses; a reverse proxy
in front of them is what ENGAGE_PROXY_HOPS=1 trusts. Both share the database, Redis, the secret key and
nothing else: no disk, no memory. Two schedulers run at once (as by mistake, or on two hosts). Mail goes
to an SMTP server on loopback.

Runs when ENGAGE_MULTIHOST_DATABASE_URL (a PostgreSQL database it may wipe) and ENGAGE_MULTIHOST_REDIS_URL
(a Redis database it may flush) are set; .ci/run sets them.
"""

import io
import os
import re
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa

DATABASE_URL = os.environ.get("ENGAGE_MULTIHOST_DATABASE_URL", "")
REDIS_URL = os.environ.get("ENGAGE_MULTIHOST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgresql") and REDIS_URL),
    reason="set ENGAGE_MULTIHOST_DATABASE_URL (PostgreSQL) and ENGAGE_MULTIHOST_REDIS_URL",
)
HOST_A, HOST_B, SMTP_HOST = ("127.0.0.12", 51201), ("127.0.0.13", 51202), ("127.0.0.15", 51230)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOGIN_LIMIT = 5


def _wait_for(condition, what: str, seconds: float = 120, every: float = 0.5):
    """Poll a condition of a running system (bounded); the answer, or a failure naming what never happened."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"{what} did not happen within {seconds} s")


class Cluster:
    def __init__(self, tmp, requests):
        self.tmp, self.requests, self.processes, self.smtp = tmp, requests, {}, None
        self.env = {
            **os.environ,
            "ENGAGE_ENV": "production",
            "ENGAGE_SECRET_KEY": secrets.token_urlsafe(48),
            "ENGAGE_DATABASE_URL": DATABASE_URL,
            "ENGAGE_RATELIMIT_STORAGE_URL": REDIS_URL,
            "ENGAGE_LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per minute",
            "ENGAGE_PROXY_HOPS": "1",
            "ENGAGE_BASE_URL": "http://engage.test",
            "ENGAGE_MAIL_SERVER": SMTP_HOST[0],
            "ENGAGE_MAIL_PORT": str(SMTP_HOST[1]),
            "ENGAGE_SCHEDULER_INTERVAL_SECONDS": "1",
            "ENGAGE_READY_HEARTBEAT_MAX_AGE_SECONDS": "30",
            "ENGAGE_INSTANCE_PATH": str(tmp / "instance"),
        }
        for name in ("ENGAGE_TEST_DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"):
            self.env.pop(name, None)

    def url(self, host, path: str) -> str:
        return f"http://{host[0]}:{host[1]}{path}"

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "engage", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def start(self, name: str, command: list[str], extra_env: dict | None = None):
        log = open(self.tmp / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command, env={**self.env, **(extra_env or {})}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = (process, log)

    def start_web(self, name: str, host):
        folder = self.tmp / f"prometheus-{name}"
        self.start(
            name,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "2",
                "--bind",
                f"{host[0]}:{host[1]}",
                "engage:create_app()",
            ],
            {"PROMETHEUS_MULTIPROC_DIR": str(folder)},
        )

    def start_scheduler(self, name: str):
        self.start(name, [sys.executable, "-m", "flask", "--app", "engage", "engage", "scheduler"])

    def stop(self, name: str):
        process, log = self.processes.pop(name)
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        log.close()

    def log_of(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    import redis
    import requests
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    tmp = tmp_path_factory.mktemp("multihost")
    cluster = Cluster(tmp, requests)
    cluster.received = received
    engine = sa.create_engine(DATABASE_URL)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    cluster.engine = engine
    redis.Redis.from_url(REDIS_URL).flushdb()
    cluster.flask("db", "upgrade")
    cluster.flask("engage", "seed", "--demo")
    controller = Controller(Collect(), hostname=SMTP_HOST[0], port=SMTP_HOST[1])
    controller.start()
    try:
        cluster.start_web("web-a", HOST_A)
        cluster.start_web("web-b", HOST_B)
        cluster.start_scheduler("scheduler-1")
        cluster.start_scheduler("scheduler-2")
        for name, host in (("web-a", HOST_A), ("web-b", HOST_B)):
            _wait_for(lambda h=host: _answers(requests, cluster.url(h, "/healthz")), f"{name} starting", 120)
        yield cluster
    finally:
        for name in list(cluster.processes):
            cluster.stop(name)
        controller.stop()
        engine.dispose()


def _answers(requests, url: str) -> bool:
    try:
        return requests.get(url, timeout=10).status_code == 200
    except requests.RequestException:  # not listening yet, or its workers still booting
        return False


def _client(_cluster, address: str) -> dict:
    """Headers of one client as the proxy forwards it (its own address)."""
    return {"X-Forwarded-For": address}


def _token(cluster, host, email: str, address: str) -> str:
    from engage.demo import DEMO_PASSWORD

    response = cluster.requests.post(
        cluster.url(host, "/api/v1/auth/tokens"),
        json={"email": email, "password": DEMO_PASSWORD},
        headers=_client(cluster, address),
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["token"]


def test_a_session_made_on_host_a_works_on_host_b(cluster):
    from engage.demo import DEMO_PASSWORD

    requests, headers = cluster.requests, _client(cluster, "198.51.100.10")
    browser = requests.Session()
    form = browser.get(cluster.url(HOST_A, "/login"), headers=headers, timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    login = browser.post(
        cluster.url(HOST_A, "/login"),
        data={"email": "coordinator@engage.example", "password": DEMO_PASSWORD, "csrf_token": csrf},
        headers=headers,
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 302, login.text
    # Behind the proxy both hosts are one site: the browser sends the same cookies to either.
    cookies = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    page = requests.get(
        cluster.url(HOST_B, "/account"), headers={**headers, "Cookie": cookies}, allow_redirects=False, timeout=30
    )
    assert page.status_code == 200 and "coordinator@engage.example" in page.text


def test_a_token_made_on_host_a_works_on_host_b(cluster):
    token = _token(cluster, HOST_A, "lead.pillar1@engage.example", "198.51.100.11")
    me = cluster.requests.get(
        cluster.url(HOST_B, "/api/v1/me"), headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert me.status_code == 200 and me.json()["email"] == "lead.pillar1@engage.example"


def test_the_login_rate_limit_is_shared_by_the_hosts(cluster):
    headers = _client(cluster, "198.51.100.66")
    statuses = []
    for attempt in range(LOGIN_LIMIT + 1):
        host = HOST_A if attempt % 2 == 0 else HOST_B
        response = cluster.requests.post(
            cluster.url(host, "/api/v1/auth/tokens"),
            json={"email": "coordinator@engage.example", "password": "wrong password"},
            headers=headers,
            timeout=30,
        )
        statuses.append(response.status_code)
    # Each host alone saw at most 3 attempts: only a shared count reaches the limit of 5.
    assert statuses == [401] * LOGIN_LIMIT + [429], statuses
    assert cluster.requests.get(cluster.url(HOST_A, "/healthz"), headers=headers, timeout=30).status_code == 200


def _lead_group_and_workshop(cluster, token: str) -> tuple[int, int]:
    me = cluster.requests.get(
        cluster.url(HOST_A, "/api/v1/me"), headers={"Authorization": f"Bearer {token}"}, timeout=30
    ).json()
    groups = cluster.requests.get(cluster.url(HOST_A, "/api/v1/working-groups"), timeout=30).json()["items"]
    group = next(g for g in groups if any(lead["id"] == me["id"] for lead in g["leads"]))
    workshops = cluster.requests.get(
        cluster.url(HOST_A, f"/api/v1/workshops?working_group_id={group['id']}"), timeout=30
    ).json()["items"]
    return group["id"], workshops[0]["id"]


def test_an_export_started_on_host_a_is_served_by_host_b(cluster):
    import pypdf

    token = _token(cluster, HOST_A, "lead.pillar1@engage.example", "198.51.100.12")
    auth = {"Authorization": f"Bearer {token}"}
    group_id, workshop_id = _lead_group_and_workshop(cluster, token)
    post = cluster.requests.post
    # The demo's round-1 minutes of the group are approved (versions 1 and 2): the export compiles them.
    versions = cluster.requests.get(
        cluster.url(HOST_A, f"/api/v1/workshops/{workshop_id}/minutes/versions"), headers=auth, timeout=30
    )
    assert versions.status_code == 200 and versions.json(), versions.text

    started = post(cluster.url(HOST_A, "/api/v1/minutes-exports"), json={"working_group_id": group_id}, headers=auth)
    assert started.status_code == 202, started.text
    status_url = cluster.url(HOST_B, f"/api/v1/minutes-exports/{started.json()['id']}")
    done = _wait_for(
        lambda: (
            (s := cluster.requests.get(status_url, headers=auth, timeout=30).json())["state"] in {"done", "failed"}
            and s
        ),
        "the export",
    )
    assert done["state"] == "done", done
    pdf = cluster.requests.get(cluster.url(HOST_B, done["download_url"]), headers=auth, timeout=60)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pypdf.PdfReader(io.BytesIO(pdf.content)).pages) >= 2
    # The version's PDF rendered on A is served from the shared cache by B, byte for byte.
    version = f"/api/v1/workshops/{workshop_id}/minutes/versions/1/pdf"
    on_a = cluster.requests.get(cluster.url(HOST_A, version), headers=auth, timeout=60)
    on_b = cluster.requests.get(cluster.url(HOST_B, version), headers=auth, timeout=60)
    assert on_a.status_code == on_b.status_code == 200 and on_a.content == on_b.content


def test_two_schedulers_send_each_message_once(cluster):
    from engage.demo import demo_accounts

    participants = [email for role, email, _name in demo_accounts() if role == "participant"]
    # A new 6-seat workshop (the demo's people are registered elsewhere already): seats and a waiting list.
    lead = _token(cluster, HOST_A, "lead.pillar1@engage.example", "198.51.100.99")
    group_id, _workshop = _lead_group_and_workshop(cluster, lead)
    starts = (datetime.now(UTC) + timedelta(days=20)).replace(microsecond=0)
    created = cluster.requests.post(
        cluster.url(HOST_A, "/api/v1/workshops"),
        json={
            "working_group_id": group_id,
            "title": "Roundtable on outbox delivery",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "timezone": "Europe/Rome",
            "venue": "Rome",
            "capacity": 6,
        },
        headers={"Authorization": f"Bearer {lead}"},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    smallest = created.json()
    for n, email in enumerate(participants):
        host = HOST_A if n % 2 == 0 else HOST_B
        token = _token(cluster, host, email, f"198.51.100.{100 + n}")
        response = cluster.requests.post(
            cluster.url(host, f"/api/v1/workshops/{smallest['id']}/registrations"),
            json={},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert response.status_code == 201, response.text

    def delivered():
        with cluster.engine.connect() as conn:
            waiting = conn.scalar(sa.text("SELECT count(*) FROM notifications WHERE state IN ('PENDING', 'SENDING')"))
            sent = conn.scalar(sa.text("SELECT count(*) FROM notifications WHERE state = 'SENT'"))
        return waiting == 0 and sent >= len(participants) and sent

    sent = _wait_for(delivered, "delivery of the outbox")
    # Both schedulers keep ticking after the outbox is empty: nothing more may arrive.
    beats = _heartbeats(cluster)
    _wait_for(lambda: all(_heartbeats(cluster).get(p, beats[p]) > beats[p] for p in beats), "two more ticks")
    _wait_for(lambda: all(_heartbeats(cluster).get(p, beats[p]) > beats[p] for p in beats), "two more ticks")
    assert len(beats) == 2, beats  # two scheduler processes were running
    recipients = [message["To"] for message in cluster.received]
    assert len(cluster.received) == sent
    message_ids = [message["Message-ID"] for message in cluster.received]
    assert len(set(message_ids)) == len(message_ids)
    for email in participants:
        about_workshop = [m for m in cluster.received if email in m["To"] and smallest["title"] in _subject(m)]
        assert len(about_workshop) == 1, (email, recipients)


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def _heartbeats(cluster) -> dict:
    with cluster.engine.connect() as conn:
        return dict(conn.execute(sa.text("SELECT process, beat_at FROM scheduler_heartbeats")).all())


def test_metrics_and_readiness_on_both_hosts_then_red_when_the_schedulers_stop(cluster):
    for host in (HOST_A, HOST_B):
        ready = cluster.requests.get(cluster.url(host, "/readyz"), timeout=30)
        assert ready.status_code == 200, ready.text
        metrics = cluster.requests.get(cluster.url(host, "/metrics"), timeout=30)
        assert metrics.status_code == 200 and "engage_http_requests_total" in metrics.text
        assert "engage_outbox_due_messages 0.0" in metrics.text
    cluster.stop("scheduler-1")
    cluster.stop("scheduler-2")
    # (A requests Response is false when its status is an error: keep the body instead.)
    red = _wait_for(
        lambda: (r := cluster.requests.get(cluster.url(HOST_B, "/readyz"), timeout=30)).status_code == 503 and r.json(),
        "/readyz turning red",
        seconds=120,
    )
    assert red["status"] == "not_ready" and red["checks"]["scheduler"]["ok"] is False
    assert red["checks"]["database"]["ok"] and red["checks"]["migrations"]["ok"]
