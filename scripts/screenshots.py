"""Screenshots of the portal with its demo data, for the README: `make screenshots`.

Starts the portal on a free loopback port with a fresh SQLite database in a temporary
folder (migrated, then `flask seed-demo`), and has headless Debian Chromium photograph
what a person sees first on each page, on a desktop (1280×900) and a phone (390×844), signed
out and signed in as the demo member, and the style guide. The PNGs go to docs/screenshots/, named
``<page>-<desktop|phone>.png``; what was there before is replaced.
"""

from __future__ import annotations

import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import create_app, schema
from portal.blueprints.accounts.demo import DEMO_PASSWORD
from portal.blueprints.events.models import Event, EventStatus
from portal.blueprints.forums.models import Audience, Category, Thread
from portal.extensions import db

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
MEMBER = "member@example.org"
SIZES = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--no-first-run"]


class Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def start_portal(folder: Path):
    """The portal with the demo data, serving on a free port in a thread: (app, server, url)."""
    app = create_app({"ENV_NAME": "development", "DATABASE_URL": f"sqlite:///{folder}/portal.sqlite3",
                      "RATELIMIT_ENABLED": False, "SERVER_NAME": None}, instance_path=str(folder / "instance"))
    schema.upgrade(db.state(app).engine)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, f"http://127.0.0.1:{server.server_port}"


def sample_paths(app) -> dict[str, str]:
    """The pages to show: the next published event, and the busiest thread open to every member."""
    with app.app_context():
        event_id = db.session.scalar(
            select(Event.id).where(Event.status == EventStatus.PUBLISHED.value, Event.starts_at > datetime.now(UTC))
            .order_by(Event.going_count.desc(), Event.starts_at).limit(1))
        thread_id = db.session.scalar(
            select(Thread.id).join(Category).where(Category.audience == Audience.MEMBERS.value)
            .order_by(Thread.post_count.desc(), Thread.id).limit(1))
    return {"events": "/events/", "event": f"/events/{event_id}", "thread": f"/forums/t/{thread_id}",
            "style-guide": "/style-guide"}


def chromium() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))


def shoot(driver: webdriver.Chrome, url: str, name: str) -> None:
    """``url`` at each size, as ``<name>-<size>.png``: the first screenful, as a person sees it."""
    for size, (width, height, mobile) in SIZES.items():
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        driver.get(url)
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.readyState") == "complete")
        (OUT / f"{name}-{size}.png").write_bytes(driver.get_screenshot_as_png())
        print(f"docs/screenshots/{name}-{size}.png")


def sign_in(driver: webdriver.Chrome, base: str) -> None:
    driver.get(base + "/sign-in")
    driver.find_element(By.ID, "email").send_keys(MEMBER)
    driver.find_element(By.ID, "password").send_keys(DEMO_PASSWORD + Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form button.link-button"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as folder:
        app, server, base = start_portal(Path(folder))
        paths = sample_paths(app)
        driver = chromium()
        try:
            shoot(driver, base + "/", "home-signed-out")
            sign_in(driver, base)
            shoot(driver, base + "/", "home-member")
            for name, path in paths.items():
                shoot(driver, base + path, name)
        finally:
            driver.quit()
            server.shutdown()
            db.state(app).engine.dispose()


if __name__ == "__main__":
    main()
