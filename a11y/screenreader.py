"""GNOME Orca listening to Chromium on a private X display: what a screen-reader user hears.

One stack per test session, started in this order and stopped in reverse:

1. Xvfb on a free display (it picks the number and writes it to ``-displayfd``);
2. a private D-Bus session bus, so nothing reaches a person's desktop or another run;
3. the AT-SPI bus launcher, which starts the accessibility bus and, on it, the registry;
4. Orca, through ``orca_speech.py``: no speech server, every utterance written to a pipe
   the moment Orca speaks it;
5. Chromium, not headless, on that display (``browser.Chromium``'s ``screen-reader``
   variant), driven by selenium only to load pages and to sign in.

Keys go in as real X key events through xdotool, so Orca handles them exactly as it
handles a person's keyboard. ``open``, ``press`` and ``type`` return what Orca said in
answer; ``transcript`` holds everything it said, with our actions between, to print when
a test fails.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from a11y.browser import Chromium
from a11y.server import LivePortal

SYSTEM_PYTHON = "/usr/bin/python3"  # Orca's modules are Debian's, not the venv's
ORCA = str(Path(__file__).with_name("orca_speech.py"))
AT_SPI_BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
SCREEN = "1280x1024x24"

STARTED = "Screen reader on."  # Orca's first words once it listens for events
LOADED = "Finished loading"  # Orca's words when Chromium's document has loaded
SPOKEN = re.compile(r"SPEECH OUTPUT: '(.*)'(?: voice=\w+)?", re.DOTALL)

START_TIMEOUT = 30  # seconds for each part of the stack to come up
LOAD_TIMEOUT = 15  # seconds for a page to load and Orca to say so
KEY_TIMEOUT = 3  # seconds for Orca to answer a key; a key it does not answer costs this
QUIET = 0.4  # seconds of silence after which Orca has finished answering
STOP_TIMEOUT = 5  # seconds a process gets to end on SIGTERM before SIGKILL


@dataclass(frozen=True)
class Line:
    """One line of the transcript: an utterance, or (``spoken`` false) something we did."""

    at: float  # time.monotonic() when it happened
    text: str
    spoken: bool


class Transcript:
    """Everything Orca said, in order, with our actions between. Safe across threads:
    a reader thread adds utterances while a test waits for them."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.began = time.monotonic()
        self.changed = threading.Condition()

    def add(self, text: str, spoken: bool) -> None:
        with self.changed:
            self.lines.append(Line(time.monotonic(), text, spoken))
            self.changed.notify_all()

    def mark(self) -> int:
        """A position in the transcript, for ``said`` and ``wait`` to start from."""
        with self.changed:
            return len(self.lines)

    def said(self, since: int = 0) -> list[str]:
        """The utterances from position ``since`` on."""
        with self.changed:
            return [line.text for line in self.lines[since:] if line.spoken]

    def wait(self, since: int, until: str | None, timeout: float) -> bool:
        """Wait until Orca, from position ``since``, says something (an utterance containing
        ``until`` when given) and then nothing for ``QUIET`` seconds. False when it said
        nothing (nothing with ``until``) within ``timeout`` seconds; a longer stream of speech
        is cut off at the timeout, which then returns True."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not self._heard(since, until):
                if deadline <= time.monotonic():
                    return False
                self.changed.wait(deadline - time.monotonic())
            while True:
                now = time.monotonic()
                quiet_at = min(self._last_spoken() + QUIET, deadline)
                if now >= quiet_at:
                    return True
                self.changed.wait(quiet_at - now)

    def _heard(self, since: int, until: str | None) -> bool:
        return any(line.spoken and (until is None or until in line.text) for line in self.lines[since:])

    def _last_spoken(self) -> float:
        return next(line.at for line in reversed(self.lines) if line.spoken)

    def render(self, since: int = 0) -> str:
        """The transcript from ``since`` as text: seconds into the run, then what Orca said
        in quotes, or what we did after a »."""
        with self.changed:
            lines = self.lines[since:]
        return "\n".join(f"{line.at - self.began:7.2f}  {self._show(line)}" for line in lines) or "(nothing)"

    @staticmethod
    def _show(line: Line) -> str:
        return f"“{line.text}”" if line.spoken else f"» {line.text}"


def utterance(record: str) -> str:
    """The words of one record of Orca's speech log (the record itself if it is no utterance)."""
    match = SPOKEN.fullmatch(record)
    return match.group(1) if match else record


def read_line(fd: int, timeout: float, what: str) -> str:
    """The first line written to ``fd`` (a pipe), within ``timeout`` seconds."""
    data = b""
    deadline = time.monotonic() + timeout
    while not data.endswith(b"\n"):
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError(f"{what} did not start within {timeout} s")
        chunk = os.read(fd, 4096)
        if not chunk:
            raise RuntimeError(f"{what} exited before it started")
        data += chunk
    return data.decode().strip()


class Stack:
    """The processes of one screen-reader stack, each in a session of its own so that
    stopping one stops its children too; their error output is kept in ``folder``."""

    def __init__(self, folder: str, environment: dict[str, str]) -> None:
        self.folder = folder
        self.environment = environment
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], pass_fds: tuple[int, ...] = ()) -> subprocess.Popen:
        with open(os.path.join(self.folder, f"{name}.log"), "wb") as log:
            process = subprocess.Popen(argv, env=self.environment, stdin=subprocess.DEVNULL,
                                       stdout=log, stderr=log, pass_fds=pass_fds, start_new_session=True)
        self.processes.append((name, process))
        return process

    def start_announcing(self, name: str, argv: list[str], timeout: float = START_TIMEOUT) -> str:
        """Start a program that writes one line when ready to the descriptor given as the
        argument ``{fd}`` in ``argv``; return that line (a display number, a bus address)."""
        read_fd, write_fd = os.pipe()
        try:
            self.start(name, [arg.format(fd=write_fd) for arg in argv], pass_fds=(write_fd,))
            os.close(write_fd)
            return read_line(read_fd, timeout, name)
        finally:
            os.close(read_fd)

    def log(self, name: str) -> str:
        """The end of what the process ``name`` wrote, for error messages."""
        with open(os.path.join(self.folder, f"{name}.log"), errors="replace") as log:
            return log.read()[-2000:]

    def stop(self) -> None:
        """Stop every process, newest first: SIGTERM, then SIGKILL after ``STOP_TIMEOUT``."""
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        self.processes.clear()


def private_environment(folder: str) -> dict[str, str]:
    """Our environment with every desktop connection pointed into ``folder``: runtime,
    config, data and cache folders; settings in memory; messages in English (the tests
    read Orca's words). No Python paths reach Orca's interpreter."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("PYTHONPATH", "PYTHONHOME", "AT_SPI_BUS_ADDRESS", "WAYLAND_DISPLAY")}
    for name in ("runtime", "config", "data", "cache"):
        os.makedirs(os.path.join(folder, name), mode=0o700)
    environment.update(
        XDG_RUNTIME_DIR=os.path.join(folder, "runtime"),
        XDG_CONFIG_HOME=os.path.join(folder, "config"),
        XDG_DATA_HOME=os.path.join(folder, "data"),
        XDG_CACHE_HOME=os.path.join(folder, "cache"),
        GSETTINGS_BACKEND="memory",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        LANGUAGE="en",
    )
    return environment


class ScreenReader:
    """Orca and Chromium on a private display, talking to ``portal``. Call ``stop`` at the end."""

    def __init__(self, portal: LivePortal) -> None:
        self.folder = tempfile.mkdtemp(prefix="a11y-orca-")
        self.environment = private_environment(self.folder)
        self.stack = Stack(self.folder, self.environment)
        self.transcript = Transcript()
        self.browser: Chromium | None = None
        self.signed_in: set[str] = set()
        try:
            self._start_display_and_buses()
            self._start_orca()
            self._start_chromium(portal)
        except BaseException:
            self.stop()
            raise

    def _start_display_and_buses(self) -> None:
        display = self.stack.start_announcing("xvfb", ["Xvfb", "-displayfd", "{fd}", "-screen", "0", SCREEN,
                                                       "-nolisten", "tcp"])
        self.environment["DISPLAY"] = f":{display}"
        self.environment["DBUS_SESSION_BUS_ADDRESS"] = self.stack.start_announcing(
            "dbus", ["dbus-daemon", "--session", "--nofork", "--print-address={fd}"])
        self.stack.start("at-spi", [AT_SPI_BUS_LAUNCHER, "--launch-immediately"])
        self._wait_for_bus_name("org.a11y.Bus")

    def _wait_for_bus_name(self, name: str) -> None:
        """Poll the session bus until ``name`` has an owner (the launcher is ready)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            answer = subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                 "org.freedesktop.DBus.NameHasOwner", f"string:{name}"],
                env=self.environment, capture_output=True, text=True, check=False)
            if answer.stdout.strip().endswith("boolean true"):
                return
            time.sleep(0.05)
        raise TimeoutError(f"{name} never appeared on the session bus:\n{self.stack.log('at-spi')}")

    def _start_orca(self) -> None:
        read_fd, write_fd = os.pipe()
        settings = os.path.join(self.folder, "orca")
        try:
            self.stack.start("orca", [SYSTEM_PYTHON, ORCA, settings, str(write_fd)], pass_fds=(write_fd,))
        finally:
            os.close(write_fd)
        threading.Thread(target=self._listen, args=(os.fdopen(read_fd),), name="orca-speech", daemon=True).start()
        if not self.transcript.wait(0, STARTED, START_TIMEOUT):
            raise TimeoutError(f"Orca did not start:\n{self.stack.log('orca')}")

    def _listen(self, speech) -> None:
        """Add each utterance Orca writes to the transcript, until Orca ends."""
        with speech:
            for record in speech:
                self.transcript.add(utterance(json.loads(record)), spoken=True)

    def _start_chromium(self, portal: LivePortal) -> None:
        mark = self.transcript.mark()
        self.browser = Chromium(portal, "screen-reader", self.environment)
        # Orca announces the browser's window once it is shown and active.
        if not self.transcript.wait(mark, "Chromium", START_TIMEOUT):
            raise TimeoutError(f"Orca never noticed Chromium:\n{self.transcript.render(mark)}")

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.quit()
            self.browser = None
        self.stack.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    # What tests use

    def mark(self) -> int:
        """A position in the transcript (see ``render``)."""
        return self.transcript.mark()

    def render(self, since: int = 0) -> str:
        """What Orca said from position ``since``, with our actions between."""
        return self.transcript.render(since)

    def use_role(self, role: str | None) -> None:
        """Become ``role`` (None: signed out); the first time, through the real sign-in form,
        waiting until Orca has finished with the page that follows."""
        mark = self._do(f"become {role or 'signed out'}")
        signs_in = role is not None and role not in self.signed_in
        self.browser.use_role(role)
        if signs_in:
            self.signed_in.add(role)
            self._answer(mark, self._loaded(), LOAD_TIMEOUT, f"signing in as {role}")

    def open(self, path: str) -> list[str]:
        """Load ``path``; return what Orca said until it finished loading that page and fell quiet."""
        mark = self._do(f"open {path}")
        self.browser.open(path)
        return self._answer(mark, self._loaded(), LOAD_TIMEOUT, f"loading {path}")

    def _loaded(self) -> str:
        """What Orca says when the browser's current page has loaded (a page loaded
        before, with its speech late, says another title)."""
        return f"{LOADED} {self.browser.driver.title}."

    def press(self, keys: str, until: str | None = None, timeout: float = KEY_TIMEOUT) -> list[str]:
        """Press ``keys`` (xdotool's names: "Tab", "shift+Tab", "Return", "h",
        "KP_Insert+KP_Enter") and return what Orca said in answer: once it fell quiet after
        an utterance containing ``until`` (say ``LOADED`` for a key that loads a page), or
        after any utterance. Nothing said within ``timeout`` seconds returns [] (``until``
        not said fails)."""
        mark = self._do(f"press {keys}")
        self._xdotool("key", "--clearmodifiers", keys)
        return self._answer(mark, until, timeout, f"pressing {keys}")

    def press_until(self, keys: str, phrase: str, limit: int = 10) -> list[str]:
        """Press ``keys`` until Orca says something containing ``phrase``, at most ``limit``
        times; return what the last press said. Fails, with the transcript, past ``limit``."""
        mark = self.mark()
        for _ in range(limit):
            said = self.press(keys)
            if any(phrase in utterance for utterance in said):
                return said
        raise AssertionError(f"{limit} presses of {keys} never reached {phrase!r}; Orca said:\n"
                             f"{self.render(mark)}")

    def type(self, text: str) -> list[str]:
        """Type ``text`` as key presses into whatever has focus; return anything Orca said."""
        mark = self._do(f"type {text!r}")
        self._xdotool("type", "--delay", "10", "--clearmodifiers", "--", text)
        return self._answer(mark, None, QUIET, f"typing {text!r}")

    def _do(self, action: str) -> int:
        mark = self.transcript.mark()
        self.transcript.add(action, spoken=False)
        return mark

    def _xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.environment, check=True, timeout=KEY_TIMEOUT)

    def _answer(self, mark: int, until: str | None, timeout: float, what: str) -> list[str]:
        if not self.transcript.wait(mark, until, timeout) and until is not None:
            raise AssertionError(f"Orca never said {until!r} after {what}; it said:\n{self.render(mark)}")
        return self.transcript.said(mark)
