"""The path for servers without containers (issue 14, items 4 and 6), on this suite's engine:

`simpul setup` as a real process on a new empty database; then the exact `ExecStart` lines of
deploy/systemd/ (gunicorn web, worker, scheduler) as real processes with production settings;
their health endpoints answer healthy; the first system administrator signs in through the
real pages served by gunicorn (password, second-factor enrolment, agreement, home); the units
stop on SIGTERM. `systemd-analyze verify` checks the unit files themselves (no systemd runs as
PID 1 here, so the units are not started by systemd). Containers cannot be built here (no
daemon): tests/deploy/test_compose_file.py checks the compose file and the image recipe.
"""

import base64
import configparser
import json
import re
import shlex
import shutil
import subprocess

import pytest
import requests
from django_otp.oath import totp

from tests.cases.helpers import indonesian
from tests.deploy.support import (
    ROOT,
    empty_database,
    free_port,
    production_env,
    stop,
    wait_until,
)

UNITS = ROOT / "deploy" / "systemd"
PASSWORD = "perahu-kecil-di-sungai-kapuas"
INSTALL_ROOT = "/opt/simpul"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name)
    return parser


def _exec_start(name: str) -> list[str]:
    service = _unit(name)["Service"]
    assert service["WorkingDirectory"] == INSTALL_ROOT
    assert service["EnvironmentFile"] == "/etc/simpul/env"
    assert service["User"] == "simpul"
    return shlex.split(service["ExecStart"].replace(INSTALL_ROOT, str(ROOT)))


def _simpul(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "simpul"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze (Debian's systemd, on every machine of this project's kind) is "
    "missing; the units' ExecStart lines are still run by the next test",
)
def test_the_unit_files_verify(tmp_path):
    names = ["simpul-web.service", "simpul-worker.service", "simpul-scheduler.service"]
    for name in names:
        text = (UNITS / name).read_text().replace(INSTALL_ROOT, str(ROOT))
        (tmp_path / name).write_text(text)
    checked = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / n) for n in names)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")
    # The example environment file names every setting production refuses to start without.
    example = (UNITS / "simpul.env.example").read_text()
    for name in (
        "DATABASE_URL",
        "SIMPUL_SECRET_KEY",
        "SIMPUL_VAULT_KEYS",
        "SIMPUL_BLIND_INDEX_KEY",
        "SIMPUL_AUDIT_KEY",
        "SIMPUL_ALLOWED_HOSTS",
    ):
        assert re.search(rf"^{name}=\S", example, re.M), name


def _healthcheck(url: str) -> subprocess.CompletedProcess[str]:
    script = ROOT / "deploy" / "healthcheck.py"
    return subprocess.run(["python3", str(script), url], capture_output=True, text=True, timeout=30)


def _health(base: str, path: str) -> tuple[int, dict]:
    response = requests.get(base + path, timeout=5)
    return response.status_code, response.json()


def _first_sign_in(base: str) -> requests.Response:
    browser = requests.Session()
    browser.get(f"{base}/accounts/login/", timeout=10)
    csrf = {"csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    step = browser.post(
        f"{base}/accounts/login/",
        {**csrf, "username": "sysadmin", "password": PASSWORD},
        allow_redirects=False,
        timeout=30,
    )
    assert step.status_code == 302 and step.headers["Location"].startswith("/accounts/otp/setup/")
    page = browser.get(base + step.headers["Location"], timeout=10)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    code = f"{totp(key, step=30, t0=0, digits=6, drift=0):06d}"
    csrf = {"csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    step = browser.post(page.url, {**csrf, "token": code}, allow_redirects=False, timeout=10)
    assert step.status_code == 302 and step.headers["Location"].startswith("/accounts/agreement/")
    csrf = {"csrfmiddlewaretoken": browser.cookies["csrftoken"]}
    step = browser.post(
        base + step.headers["Location"], {**csrf, "accept": "on"}, allow_redirects=False, timeout=10
    )
    assert step.status_code == 302 and step.headers["Location"] == "/"
    return browser.get(f"{base}/", timeout=10)


def test_setup_then_the_units_serve_a_first_sign_in(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with empty_database(tmp_path) as database_url:
        env = production_env(database_url, tmp_path / "data", port)
        (tmp_path / "password").write_text(PASSWORD + "\n")
        setup_args = [
            "setup", "--no-input", "--username", "sysadmin", "--full-name", "Putri Wulandari",
            "--email", "sysadmin@example.go.id", "--password-file", str(tmp_path / "password"),
            "--agencies", str(ROOT / "docs" / "examples" / "agencies.csv"),
            "--base-url", "https://simpul.example.go.id",
        ]  # fmt: skip
        done = _simpul(env, *setup_args)
        assert done.returncode == 0, done.stdout + done.stderr
        links = re.findall(r"^(\S+)\thttps://simpul\.example\.go\.id/accounts/enrol/\S+/$",
                           done.stdout, re.M)  # fmt: skip
        assert len(links) == 12 and "sysadmin" not in links
        again = _simpul(env, *setup_args)
        assert again.returncode == 1 and "already exists" in again.stderr
        assert _simpul(env, "collectstatic", "--noinput", "-v0").returncode == 0

        units = {
            name: subprocess.Popen(
                _exec_start(f"simpul-{name}.service"),
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
            for name in ("web", "worker", "scheduler")
        }
        try:
            for path in ("/health/", "/health/worker/", "/health/scheduler/"):
                _status, body = wait_until(
                    lambda p=path: (s := _health(base, p))[0] == 200 and s,
                    timeout=60,
                    what=path,
                )
                assert body["status"] == "ok"
            # The containers' health check script, against the same endpoints.
            assert _healthcheck(f"{base}/health/worker/").returncode == 0
            home = _first_sign_in(base)
            assert home.status_code == 200 and home.url == f"{base}/"
            assert indonesian("System administrator") in home.text
        finally:
            codes = {name: stop(process) for name, process in units.items()}
            output = {name: process.stdout.read() for name, process in units.items()}
        assert codes == {"web": 0, "worker": 0, "scheduler": 0}, output
        assert _healthcheck(f"{base}/health/").returncode == 1  # nothing listens any more
        # The web unit's lines are JSON; the request lines carry no query string.
        web_lines = [
            json.loads(line) for line in output["web"].splitlines() if line.startswith("{")
        ]
        assert any(line["logger"] == "simpul.request" for line in web_lines), output["web"][:2000]
        assert "Worker" in output["worker"] and "Scheduler stopped." in output["scheduler"]


def test_the_web_unit_answers_503_while_its_database_is_unreachable(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Nothing listens on port 9 (discard) here: every connection is refused at once.
    env = production_env("postgresql://simpul@127.0.0.1:9/simpul", tmp_path, port)
    web = subprocess.Popen(
        _exec_start("simpul-web.service"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        status, body = wait_until(lambda: _health(base, "/health/"), timeout=60, what="gunicorn")
        assert (status, body) == (503, {"status": "unavailable", "database": "unreachable"})
        assert _health(base, "/health/worker/") == (
            503,
            {"status": "unavailable", "database": "unreachable"},
        )
        assert _healthcheck(f"{base}/health/").returncode == 1
    finally:
        assert stop(web) == 0
