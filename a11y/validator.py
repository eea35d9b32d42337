"""The Nu Html Checker (vnu.jar from npm) as a local HTTP service for the whole session.

Starting Java costs seconds and checking a page a few milliseconds, so one checker
runs beside the portal and every page state is posted to it as it was sent.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Validator:
    """A running checker on a loopback port; ``errors`` checks one document."""

    def __init__(self) -> None:
        java = shutil.which("java")
        assert java, "java is missing: `make install-test` installs default-jre-headless"
        assert VNU_JAR.exists(), f"{VNU_JAR} is missing: `make install-test` runs npm ci"
        self.port = _free_port()
        self.process = subprocess.Popen(
            [java, "-Xss16m", "-Dnu.validator.servlet.bind-address=127.0.0.1",
             "-cp", str(VNU_JAR), "nu.validator.servlet.Main", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the Nu Html Checker exited while starting"
            try:
                self._post(b"<!DOCTYPE html><html lang=en><title>x</title></html>")
                return
            except (OSError, ValueError):  # not listening yet, or listening before it can check
                time.sleep(0.25)
        raise AssertionError(f"the Nu Html Checker did not answer within {STARTUP_SECONDS} s")

    def _post(self, document: bytes) -> list[dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("POST", "/?out=json", body=document,
                               headers={"Content-Type": "text/html; charset=utf-8", "User-Agent": "portal-a11y"})
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise ConnectionError(f"the Nu Html Checker answered {response.status}: {body[:200]!r}")
            return json.loads(body)["messages"]
        finally:
            connection.close()

    def errors(self, document: str) -> list[str]:
        """Every error (not warning or note) the checker reports for ``document``."""
        return [f"Nu Html Checker, line {message.get('lastLine', '?')}: {message['message']}"
                + (f" in `{message['extract'].strip()}`" if message.get("extract") else "")
                for message in self._post(document.encode("utf-8"))
                if message["type"] in {"error", "non-document-error"}]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
