"""Headless Debian Chromium through selenium: one browser per variant for the whole session.

Variants: ``javascript`` (as most people browse), ``no-javascript`` (scripts
switched off in Blink) and ``htmx-blocked`` (only the htmx file fails to load,
as on a flaky connection), all headless; and ``screen-reader``, shown on the
screen reader's X display with its accessibility tree exposed to Orca (see
``screenreader``). Each starts with a fresh profile directory.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from a11y.data import ACCOUNTS, PASSWORD
from a11y.server import LivePortal

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
]
HEADLESS = "--headless=new"
VARIANT_FLAGS = {
    "javascript": [HEADLESS],
    "no-javascript": [HEADLESS, "--blink-settings=scriptEnabled=false"],
    "htmx-blocked": [HEADLESS],
    "screen-reader": ["--force-renderer-accessibility"],
}
BLOCKED = {"htmx-blocked": ["*htmx.min.js*"]}
COOKIE_FIELDS = ("name", "value", "domain", "path", "secure", "httpOnly", "sameSite", "expires")
WAIT = 10
FORM = "main form[method=post]"
NEW_PAGE = "return !window.__a11yOld && document.readyState === 'complete'"  # the marked page is gone
FILL_FORM = """
const [selector, values, clear] = arguments;
const form = document.querySelector(selector);
if (!form) { throw new Error('no form matches ' + selector); }
for (const field of form.elements) {
  if (!field.name || field.type === 'hidden' || field.type === 'submit') { continue; }
  const given = Object.prototype.hasOwnProperty.call(values, field.name);
  if (!given && !clear) { continue; }
  const value = given ? values[field.name] : '';
  if (field.type === 'checkbox') { field.checked = value === 'on'; }
  else if (field.type === 'radio') { field.checked = value !== '' && field.value === value; }
  else { field.value = value; }
}
"""


@dataclass(frozen=True)
class Navigation:
    """What the browser reports about the document it shows."""

    url: str
    status: int


class Chromium:
    """One Chromium and its driver, talking to ``portal``; signs in each role once.
    ``environment`` replaces the driver's and so the browser's (the screen reader's X
    display and D-Bus); by default they inherit ours."""

    def __init__(self, portal: LivePortal, variant: str,
                 environment: Mapping[str, str] | None = None) -> None:
        self.portal = portal
        self.variant = variant
        self.profile = tempfile.mkdtemp(prefix="a11y-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS + VARIANT_FLAGS[variant] + [f"--user-data-dir={self.profile}"]:
            options.add_argument(flag)
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER, env=environment))
        self.driver.set_script_timeout(30)
        self.cdp("Network.enable")
        # Every page fetched afresh: the checks read the HTML the server sent, and a page the
        # browser revalidated (public pages carry an ETag) comes back as a bodyless 304.
        self.cdp("Network.setCacheDisabled", cacheDisabled=True)
        if variant in BLOCKED:
            self.cdp("Network.setBlockedURLs", urls=BLOCKED[variant])
        self.role: str | None = None
        self._cookies: dict[str, list[dict]] = {}

    def quit(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)

    # Low-level helpers

    def cdp(self, command: str, **params) -> dict:
        return self.driver.execute_cdp_cmd(command, params)

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait_until(self, condition: Callable[[], object], what: str, timeout: float = WAIT):
        """Poll ``condition`` until it returns something truthy; fail naming ``what``."""
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(
            lambda _driver: condition(), message=f"timed out waiting for {what}")

    def press(self, key: str = "Tab", code: int = 9, text: str | None = None) -> None:
        """A real key press, as the keyboard sends it (focus moves, :focus-visible applies);
        ``text`` is what the key types, which Enter needs to activate links and buttons."""
        for kind in ("keyDown", "keyUp"):
            params = {"type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code}
            if text and kind == "keyDown":
                params["text"] = text
            self.cdp("Input.dispatchKeyEvent", **params)

    # Navigation

    def open(self, path: str) -> Navigation:
        """Load ``path`` and wait for it (``driver.get`` waits for the load event)."""
        self.driver.get(self.portal.absolute(path))
        return self.navigation()

    def navigation(self) -> Navigation:
        url, status = self.js("const n = performance.getEntriesByType('navigation')[0];"
                              "return [location.href, n ? n.responseStatus : 0];")
        return Navigation(url, status)

    def target(self) -> str:
        """The current document's path and query, as the server saw it."""
        return self.js("return location.pathname + location.search")

    def click(self, selector: str) -> None:
        """Click the element, scrolled into view at once (the portal scrolls smoothly)."""
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        self.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", element)
        element.click()

    def click_and_wait(self, selector: str) -> Navigation:
        """Click the element and wait for the page that follows."""
        self.js("window.__a11yOld = true;")
        self.click(selector)
        return self._next_page()

    def fill_and_submit(self, values: dict[str, str], clear: bool) -> Navigation:
        """Set the main form's fields by name (clearing every field first when ``clear``),
        then submit it natively, past any htmx, and wait for the response page.

        A text value is typed in; for a checkbox "on" ticks it and "" unticks it; for
        radio buttons the value picks one and "" leaves none chosen.
        """
        self.js(FILL_FORM + "window.__a11yOld = true; HTMLFormElement.prototype.submit.call(form);",
                FORM, values, clear)
        return self._next_page()

    def _next_page(self) -> Navigation:
        self.wait_until(lambda: self.js(NEW_PAGE), "the next page to load")
        return self.navigation()

    # Signing in

    def sign_in(self, email: str, password: str = PASSWORD) -> None:
        """Sign in through the real form."""
        self.open("/sign-in")
        self.type_into("#email", email)
        self.type_into("#password", password)
        self.click_and_wait(FORM + " button")
        assert self.target() == "/", f"signing in as {email} failed: {self.js('return document.title')}"

    def type_into(self, selector: str, value: str) -> None:
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        element.clear()
        element.send_keys(value)

    def use_role(self, role: str | None) -> None:
        """Become ``role`` (None: signed out), signing in through the form only the first time."""
        if role == self.role:
            return
        self.cdp("Network.clearBrowserCookies")
        if role is not None:
            if role not in self._cookies:
                self.sign_in(ACCOUNTS[role])
                self._cookies[role] = [
                    {k: v for k, v in cookie.items() if k in COOKIE_FIELDS}
                    for cookie in self.cdp("Network.getCookies")["cookies"]
                ]
            else:
                self.cdp("Network.setCookies", cookies=self._cookies[role])
        self.role = role

    def cookie_header(self, role: str | None) -> str:
        """A ``Cookie`` header that makes a plain HTTP client ``role``."""
        if role is None:
            return ""
        self.use_role(role)
        return "; ".join(f"{c['name']}={c['value']}" for c in self._cookies[role])

    def forget_role(self) -> None:
        """Call after anything that may have changed the cookies behind our back."""
        self.role = None
        self.cdp("Network.clearBrowserCookies")

