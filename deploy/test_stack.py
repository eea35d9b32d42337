"""The reference set-up holds together (issue 12): started on this machine's loopback,
nginx serves signed-out pages from its cache and never a signed-in one; a session begun
on one app server works on the other; rate limits are counted once for the whole site;
one app server can stop without a request being lost; two mail workers never send a
message twice; the scheduler runs as its own process.

It needs nginx (Debian's nginx-light, installed by ``make install-test``), PostgreSQL and
Redis on their usual loopback ports; each run has a database and a Redis key prefix of
its own.
"""

from __future__ import annotations

import http.client
import re
import shutil
import socket
import socketserver
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from deploy.stack import Stack, free_port

pytestmark = pytest.mark.deploy

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "a long enough passphrase"
MESSAGES = 120


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    if not shutil.which("nginx") and not shutil.which("/usr/sbin/nginx"):
        pytest.skip("nginx is not installed (make install-test installs it)")
    if not (reachable(5432) and reachable(6379)):
        pytest.skip("PostgreSQL and Redis must listen on 127.0.0.1:5432 and :6379")
    name = f"portal_stack_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to receive mail: each message's Message-ID is counted."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", free_port()), _SmtpSession)


class _SmtpSession(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.say("220 sink")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
            if verb == "DATA":
                self.say("354 go on")
                self.receive_message()
            elif verb == "QUIT":
                self.say("221 bye")
                return
            elif verb == "EHLO":
                self.say("250 sink")
            else:
                self.say("250 ok")

    def receive_message(self) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line)
        found = re.search(rb"^Message-ID: *(\S+)", b"".join(lines), re.M | re.I)
        with self.server.lock:
            self.server.received[found.group(1).decode() if found else "?"] += 1
        self.say("250 queued")

    def say(self, reply: str) -> None:
        self.wfile.write(reply.encode() + b"\r\n")


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def stack(database, sink, tmp_path_factory) -> Iterator[Stack]:
    site = Stack(database, tmp_path_factory.mktemp("stack"),
                 settings={"MAIL_SERVER": "127.0.0.1", "PORTAL_MAIL_PORT": str(sink.server_address[1]),
                           "PORTAL_MAIL_WORKER_INTERVAL": "1"})
    try:
        site.start()
        site.flask("create-user", "member@example.org", "--name", "Mo Member", "--role", "member",
                   "--password-stdin", input=PASSWORD + "\n")
        yield site
    finally:
        site.stop_all()


class Visitor:
    """Someone using the site over HTTP at one port, keeping their cookies by hand (the
    portal marks them Secure, which a client over plain HTTP would not send back)."""

    def __init__(self, port: int) -> None:
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, form: dict | None = None, port: int | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=15)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";")[0]
            if value:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        connection.close()
        return response

    def token(self, path: str = "/sign-in", port: int | None = None) -> str:
        page = self.request("GET", path, port=port).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def sign_in(self, password: str = PASSWORD, port: int | None = None, email: str = "member@example.org"):
        return self.request("POST", "/sign-in", {"csrf_token": self.token(port=port), "email": email,
                                                  "password": password}, port=port)


def test_visitors_pages_come_from_the_cache_and_members_pages_never_do(stack):
    visitor = Visitor(stack.port)
    statuses = [visitor.request("GET", "/forums/").headers["X-Cache-Status"] for _ in range(3)]
    assert statuses[0] in ("MISS", "EXPIRED") and statuses[1:] == ["HIT", "HIT"]
    assert "Set-Cookie" not in visitor.request("GET", "/forums/").headers

    assert [visitor.request("GET", "/sign-in").headers["X-Cache-Status"] for _ in range(2)] == ["MISS", "BYPASS"], \
        "a page with a form sets a cookie: not kept, and the visitor goes past the cache from then on"

    member = Visitor(stack.port)
    assert member.sign_in().status == 303
    pages = [member.request("GET", "/forums/") for _ in range(3)]
    assert [page.headers["X-Cache-Status"] for page in pages] == ["BYPASS"] * 3
    assert all("Signed in as" in page.text for page in pages)
    assert "Signed in as" not in Visitor(stack.port).request("GET", "/forums/").text, "no member's page was kept"


def test_a_session_started_on_one_app_server_works_on_the_other(stack):
    first, second = stack.app_ports
    member = Visitor(first)
    assert member.sign_in().status == 303
    for port in (first, second):
        account = member.request("GET", "/account", port=port)
        assert account.status == 200 and "Signed in as" in account.text, port


def test_rate_limits_are_counted_once_for_the_whole_site(stack):
    first, second = stack.app_ports
    guesser = Visitor(first)
    # Five failures per account from one address are allowed; the sixth is refused,
    # wherever each attempt lands.
    statuses = [guesser.sign_in("wrong guess", port=(first, second)[n % 2], email="guessed@example.org").status
                for n in range(6)]
    assert statuses == [422, 422, 422, 422, 422, 429]


def test_one_app_server_can_stop_without_losing_a_request(stack):
    member = Visitor(stack.port)
    assert member.sign_in().status == 303
    stack.stop_app_server(0)
    try:
        pages = [Visitor(stack.port).request("GET", f"/events/?n={n}") for n in range(6)]
        assert [page.status for page in pages] == [200] * 6
        saved = member.request("POST", "/account/preferences",
                               {"csrf_token": member.token("/account/preferences"), "large_text": "y"})
        assert saved.status == 303, "a form sent while a server is down lands on the other"
    finally:
        stack.start_app_server(0)
    assert [Visitor(port).request("GET", "/").status for port in stack.app_ports] == [200, 200]


def test_two_mail_workers_send_each_message_once(stack, sink):
    from portal import create_app
    from portal.core.mail import queue_email
    from portal.extensions import db

    workers = [f"mail-worker-{n}" for n in range(2)]
    for name in workers:
        stack.start_worker(name, "mail-worker")
    try:
        wait_until(lambda: all("Mail worker running" in stack.log_of(name) for name in workers))
        app = create_app({"DATABASE_URL": stack.database_url, "SECRET_KEY": stack.secret, "BASE_URL": stack.url,
                          "ENV_NAME": "testing", "TESTING": True})
        with app.app_context():
            for n in range(MESSAGES):
                queue_email(db.session, to=f"person{n}@example.org", subject=f"Message {n}",
                            template="accounts/verify_email", user=SimpleNamespace(display_name=f"Person {n}"),
                            verify_url=f"{stack.url}/verify/{n}")
            db.session.commit()
            db.engine.dispose()
        wait_until(lambda: sum(sink.received.values()) >= MESSAGES)
        time.sleep(1.5)  # one more pass each: nothing is sent again
    finally:
        for name in workers:
            stack.stop(name)
    assert len(sink.received) == MESSAGES and set(sink.received.values()) == {1}, "each message once"
    sent_by = [stack.log_of(name).count("mail sent id=") for name in workers]
    assert sum(sent_by) == MESSAGES and all(sent_by), f"both workers took part: {sent_by}"


def wait_until(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited a minute in vain"
        time.sleep(0.1)


def test_the_scheduler_runs_on_its_own(stack):
    result = stack.flask("scheduler", "--once")
    assert sorted(result.stdout.splitlines()) == ["digests: 0", "reminders: 0"], result.stdout
