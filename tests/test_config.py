"""Settings: defaults < instance/portal.cfg < PORTAL_* variables < overrides, and safe cookies."""

from __future__ import annotations

import os

import pytest

from portal import create_app
from portal.config import DEV_SECRET_KEY, UNPREFIXED, ConfigError

REAL_KEY = "a-real-secret-key-for-the-tests-only-0123456789"
PUBLIC = "https://mentoring.example.org"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """Settings come from this test alone, not from the shell that runs the suite."""
    for name in list(os.environ):
        if name.startswith("PORTAL_") or name in UNPREFIXED:
            monkeypatch.delenv(name)


@pytest.fixture
def build(tmp_path):
    """create_app on a fresh instance folder (and its SQLite file) of the test's own."""

    def build_app(**overrides):
        return create_app(overrides or None, instance_path=str(tmp_path))

    return build_app


@pytest.mark.parametrize("key", [DEV_SECRET_KEY, ""])
def test_production_without_a_real_secret_key_refuses_to_start(build, key):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        build(ENV_NAME="production", SECRET_KEY=key)


def test_production_is_the_default_so_a_bare_start_refuses_too(build):
    with pytest.raises(ConfigError, match="set a real SECRET_KEY"):
        build()


def test_a_real_secret_key_from_the_environment_lets_production_start(build, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("PORTAL_BASE_URL", PUBLIC)

    assert build().config["SECRET_KEY"] == REAL_KEY


def test_each_source_overrides_the_one_before(build, monkeypatch, tmp_path):
    (tmp_path / "portal.cfg").write_text(
        'SITE_NAME = "From the file"\n'
        'CONTACT_EMAIL = "file@example.org"\n'
        'DEFAULT_TIMEZONE = "Europe/Paris"\n'
        'SECRET_KEY = "from-the-file"\n'
    )
    monkeypatch.setenv("PORTAL_CONTACT_EMAIL", "environment@example.org")
    monkeypatch.setenv("PORTAL_DEFAULT_TIMEZONE", "Asia/Tokyo")
    monkeypatch.setenv("SECRET_KEY", "unprefixed-environment")
    monkeypatch.setenv("PORTAL_SECRET_KEY", REAL_KEY)
    monkeypatch.setenv("PORTAL_BASE_URL", PUBLIC)

    config = build(DEFAULT_TIMEZONE="America/Lima").config

    assert config["MAIL_PORT"] == 25  # default only
    assert config["SITE_NAME"] == "From the file"
    assert config["CONTACT_EMAIL"] == "environment@example.org"
    assert config["DEFAULT_TIMEZONE"] == "America/Lima"
    assert config["SECRET_KEY"] == REAL_KEY  # PORTAL_ beats the unprefixed name


def test_environment_values_take_the_type_of_the_setting(build, monkeypatch):
    monkeypatch.setenv("PORTAL_RATELIMIT_ENABLED", "off")
    monkeypatch.setenv("PORTAL_MAIL_USE_TLS", "Yes")
    monkeypatch.setenv("PORTAL_MAIL_PORT", "2525")
    monkeypatch.setenv("PORTAL_COMPRESS_ALGORITHM", "br, gzip")
    monkeypatch.setenv("PORTAL_MAIL_USERNAME", "12345")

    config = build(ENV_NAME="development").config

    assert config["RATELIMIT_ENABLED"] is False
    assert config["MAIL_USE_TLS"] is True
    assert config["MAIL_PORT"] == 2525
    assert config["COMPRESS_ALGORITHM"] == ["br", "gzip"]
    assert config["MAIL_USERNAME"] == "12345"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PORTAL_MAIL_USE_TLS", "maybe", "yes or no"),
        ("PORTAL_MAIL_PORT", "twenty-five", "a whole number"),
    ],
)
def test_a_malformed_environment_value_is_refused_by_name(build, monkeypatch, variable, value,
                                                          expected):
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigError) as refused:
        build(ENV_NAME="development")

    assert variable in str(refused.value)
    assert repr(value) in str(refused.value)
    assert expected in str(refused.value)


def session_cookie(app) -> str:
    """The Set-Cookie header of a page that starts a session (its form's CSRF token)."""
    response = app.test_client().get("/register", base_url=app.config["BASE_URL"])
    assert response.status_code == 200
    (cookie,) = response.headers.getlist("Set-Cookie")
    return cookie


def test_cookies_are_secure_httponly_and_lax_in_production(build):
    app = build(ENV_NAME="production", SECRET_KEY=REAL_KEY, BASE_URL=PUBLIC)

    cookie = session_cookie(app)

    assert cookie.startswith("session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in cookie.split("; ")
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_cookies_work_over_plain_http_in_development(build):
    cookie = session_cookie(build(ENV_NAME="development")).split("; ")

    assert "Secure" not in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_without_a_base_url_refuses_to_start(build):
    with pytest.raises(ConfigError, match="set BASE_URL"):
        build(ENV_NAME="production", SECRET_KEY=REAL_KEY)


@pytest.mark.parametrize("url", ["mentoring.example.org", "ftp://example.org", "https://", "https://example.org/portal"])
def test_a_base_url_that_is_not_an_address_is_refused(build, url):
    with pytest.raises(ConfigError, match="BASE_URL must be an address"):
        build(ENV_NAME="production", SECRET_KEY=REAL_KEY, BASE_URL=url)


def test_production_answers_only_its_own_host(build):
    client = build(ENV_NAME="production", SECRET_KEY=REAL_KEY, BASE_URL=PUBLIC + "/").test_client()

    assert client.get("/accessibility", base_url=PUBLIC).status_code == 200
    assert client.get("/accessibility", base_url="https://evil.example").status_code == 400


def test_development_has_a_local_base_url_and_any_host(build):
    app = build(ENV_NAME="development")

    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
    assert app.test_client().get("/accessibility", base_url="http://localhost:8080").status_code == 200


def test_production_without_redis_warns_that_limits_are_per_worker(build, caplog):
    build(ENV_NAME="production", SECRET_KEY=REAL_KEY, BASE_URL=PUBLIC)

    assert "REDIS_URL is not set" in caplog.text


def test_production_with_redis_says_nothing_about_it(build, caplog):
    build(ENV_NAME="production", SECRET_KEY=REAL_KEY, BASE_URL=PUBLIC, REDIS_URL="redis://127.0.0.1:6379/0")

    assert "REDIS_URL" not in caplog.text
