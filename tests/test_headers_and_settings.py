"""DP-04, DP-06, SE-02 and the settings guards."""

import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import sign_in


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached_and_carry_a_strict_csp(world):
    client = sign_in(Client(), "gt.kalbar")
    response = client.get("/")
    assert response["Cache-Control"] == "no-store, private"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_page_has_an_inline_script_or_handler(world):
    client = sign_in(Client(), "pekerja.sambas")
    import re

    for path in ["/accounts/login/", "/", "/persons/", "/persons/new/"]:
        html = client.get(path).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+=", html), path


def _settings_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SIMPUL_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(extra)
    return env


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import simpul.settings"],
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_its_keys():
    result = _import_settings(_settings_env(SIMPUL_ALLOWED_HOSTS="simpul.example.go.id"))
    assert result.returncode == 1
    assert "SIMPUL_SECRET_KEY must be set outside development and demo mode." in result.stderr


def test_demo_mode_cannot_run_on_a_real_host_name():
    result = _import_settings(
        _settings_env(SIMPUL_DEMO="true", SIMPUL_ALLOWED_HOSTS="simpul.example.go.id")
    )
    assert result.returncode == 1
    assert "SIMPUL_DEMO is only allowed when SIMPUL_ALLOWED_HOSTS lists loopback hosts" in (
        result.stderr
    )


def test_production_settings_pass_the_deploy_check():
    import base64

    env = _settings_env(
        SIMPUL_SECRET_KEY=base64.b64encode(os.urandom(48)).decode(),
        SIMPUL_VAULT_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_AUDIT_KEY="a1:" + base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_ALLOWED_HOSTS="simpul.example.go.id",
        DJANGO_SETTINGS_MODULE="simpul.settings",
    )
    result = subprocess.run(
        [sys.executable, "-m", "simpul", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_secure_host_prefixed_and_http_only():
    import base64

    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_AGE,"
        " s.SECURE_HSTS_SECONDS, s.DEBUG)"
    )
    env = _settings_env(
        SIMPUL_SECRET_KEY=base64.b64encode(os.urandom(48)).decode(),
        SIMPUL_VAULT_KEYS="k1:" + base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_AUDIT_KEY="a1:" + base64.b64encode(os.urandom(32)).decode(),
        SIMPUL_ALLOWED_HOSTS="simpul.example.go.id",
        DJANGO_SETTINGS_MODULE="simpul.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "__Host-simpul_session",
        "True",
        "True",
        "__Host-csrftoken",
        "True",
        "43200",
        "31536000",
        "False",
    ], result.stderr
