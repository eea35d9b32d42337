"""Start the reference set-up on this machine's loopback: nginx (proxy and cache) in front
of two gunicorn app servers sharing PostgreSQL and Redis, with the mail worker and the
scheduler as processes of their own. The scale-out test drives it; to try it by hand:

    python -m deploy.stack postgresql://postgres@127.0.0.1:5432/portal_stack

(an existing, possibly empty, database: it is migrated first) then open the address it
prints. Every process runs from this checkout with the current Python.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
READY_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:4]} exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on port {port} within {seconds} s")


@dataclass
class Stack:
    """The processes of the set-up, each started and stopped on its own, so a test can
    stop one app server or run a second mail worker."""

    database_url: str
    folder: Path
    redis_url: str = "redis://127.0.0.1:6379/0"
    app_servers: int = 2
    settings: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    app_ports: list[int] = field(default_factory=list)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        """What every process of the site shares: the database, Redis (with a key prefix of
        this stack's own, so rate limits are shared by its servers and no one else's), the
        secret key and the public address, behind one proxy."""
        return {
            **os.environ,
            "PORTAL_ENV_NAME": "production",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "SECRET_KEY": self.secret,
            "PORTAL_BASE_URL": self.url,
            "PORTAL_PROXY_COUNT": "1",
            "PORTAL_RATELIMIT_KEY_PREFIX": f"stack-{self.port}",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",  # each process's log as it happens
            **self.settings,
        }

    def flask(self, *args: str, **options) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flask", "--app", "portal", *args], cwd=ROOT,
                              env=self.environment(), check=True, capture_output=True, text=True, **options)

    def start(self) -> Stack:
        """Migrate the database, then start the app servers and nginx; the mail worker and
        the scheduler start with ``start_worker``."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.flask("db", "upgrade")
        self.app_ports = [free_port() for _ in range(self.app_servers)]
        for number in range(self.app_servers):
            self.start_app_server(number)
        self.start_nginx()
        return self

    def start_app_server(self, number: int) -> None:
        port = self.app_ports[number]
        self._spawn(f"app{number}", [sys.executable, "-m", "gunicorn", "-c", str(HERE / "gunicorn.conf.py")],
                    {"PORTAL_BIND": f"127.0.0.1:{port}"})
        wait_for_port(port, self.processes[f"app{number}"])

    def stop_app_server(self, number: int) -> None:
        self.stop(f"app{number}")

    def start_nginx(self) -> None:
        prefix = self.folder / "nginx"
        prefix.mkdir(exist_ok=True)
        config = (HERE / "nginx.conf").read_text()
        servers = "\n        ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in self.app_ports)
        # Run as root (a container, CI), nginx's workers would drop to "nobody", who cannot
        # write this folder; otherwise the directive is refused.
        user = "user root;" if os.geteuid() == 0 else ""
        for name, value in {"@PREFIX@": str(prefix), "@SERVERS@": servers, "@LISTEN@": f"127.0.0.1:{self.port}",
                            "@USER@": user}.items():
            config = config.replace(name, value)
        (prefix / "nginx.conf").write_text(config)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._spawn("nginx", [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"], {})
        wait_for_port(self.port, self.processes["nginx"])

    def start_worker(self, name: str, command: str) -> subprocess.Popen:
        """``command`` is ``mail-worker`` or ``scheduler``; ``name`` tells two apart."""
        return self._spawn(name, [sys.executable, "-m", "flask", "--app", "portal", command], {})

    def _spawn(self, name: str, command: list[str], extra: dict[str, str]) -> subprocess.Popen:
        if name in self.processes:
            raise ValueError(f"{name} is already running")
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 (closed in stop)
        try:
            process = subprocess.Popen(command, cwd=ROOT, env={**self.environment(), **extra}, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        except OSError:
            log.close()
            raise
        process.log = log
        self.processes[name] = process
        return process

    def log_of(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self, name: str) -> None:
        """Stop one process gracefully (SIGTERM, then SIGKILL after ten seconds)."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(10)
        except ProcessLookupError:  # it had ended already
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        finally:
            process.log.close()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    stack = Stack(sys.argv[1], ROOT / "instance" / "stack")
    try:
        stack.start()
        stack.start_worker("mail-worker", "mail-worker")
        stack.start_worker("scheduler", "scheduler")
        print(f"Serving {stack.url} (app servers on ports {stack.app_ports}); logs in {stack.folder}. Ctrl+C stops.")
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop_all()


if __name__ == "__main__":
    main()
