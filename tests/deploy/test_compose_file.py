"""The container path (issue 14, item 6), as far as it can be checked here: this machine has a
docker client without a daemon, a registry or the compose plugin, so the image cannot be built
and the services cannot be started. What is checked instead: the compose file parses; every
service has its health check; every command is a real `simpul` command or gunicorn with a
config file that exists; every health URL resolves to a health endpoint; the proxy forwards
to the web service's port; the image recipe uses the locked dependencies, a non-root user and
gunicorn; and its collectstatic step runs as written, with production settings."""

import re
import shlex
import subprocess

import pytest
import yaml
from django.core.management import get_commands
from django.urls import resolve

from tests.deploy.support import ROOT, production_env

DEPLOY = ROOT / "deploy"
INSTALL_ROOT = "/opt/simpul"
SIMPUL_SERVICES = {"migrate", "web", "worker", "scheduler"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _local(path: str) -> str:
    return path.replace(INSTALL_ROOT, str(ROOT))


def _check_command(words: list[str]) -> None:
    if words[0] == "simpul":
        assert words[1] in get_commands(), words
    elif words[0] == "gunicorn":
        config = words[words.index("--config") + 1]
        assert (ROOT / _local(config).removeprefix(f"{ROOT}/")).is_file(), config
    else:
        raise AssertionError(f"not a Simpul process: {words}")


def _health_path(test: list[str]) -> str:
    assert test[:3] == ["CMD", "python", "/opt/simpul/deploy/healthcheck.py"], test
    url = test[3]
    assert re.match(r"^http://(127\.0\.0\.1|web):8000/", url), url
    return "/" + url.split("/", 3)[3]


def test_every_service_runs_a_real_command_and_has_a_health_check(compose):
    services = compose["services"]
    assert set(services) == {"db", "migrate", "web", "worker", "scheduler", "proxy"}
    for name in SIMPUL_SERVICES:
        service = services[name]
        assert service["image"] == "simpul:latest"
        assert service["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
        command = service["command"]
        if command[:2] == ["sh", "-c"]:
            for part in command[2].split("&&"):
                _check_command(shlex.split(part))
        else:
            _check_command(command)
    assert services["migrate"]["restart"] == "no"
    expected = {"web": "health:web", "worker": "health:worker", "scheduler": "health:scheduler"}
    for name, url_name in expected.items():
        match = resolve(_health_path(services[name]["healthcheck"]["test"]))
        assert f"{match.namespace}:{match.url_name}" == url_name
        needs = services[name]["depends_on"]
        assert needs["migrate"] == {"condition": "service_completed_successfully"}
    assert services["db"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert services["proxy"]["healthcheck"]["test"][0] == "CMD"
    assert services["proxy"]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_secrets_are_files_and_the_proxy_is_the_only_trusted_one(compose):
    anchor = compose["services"]["web"]
    declared = set(compose["secrets"])
    assert set(anchor["secrets"]) <= declared
    environment = anchor["environment"]
    for variable in (
        "DATABASE_URL",
        "SIMPUL_SECRET_KEY",
        "SIMPUL_VAULT_KEYS",
        "SIMPUL_BLIND_INDEX_KEY",
        "SIMPUL_AUDIT_KEY",
    ):
        secret = environment[f"{variable}_FILE"].removeprefix("/run/secrets/")
        assert secret in anchor["secrets"]
    subnet = compose["networks"]["simpul"]["ipam"]["config"][0]["subnet"]
    assert environment["SIMPUL_TRUSTED_PROXIES"] == subnet
    proxy_address = compose["services"]["proxy"]["networks"]["simpul"]["ipv4_address"]
    assert proxy_address.rsplit(".", 1)[0] == subnet.rsplit(".", 1)[0]
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile and "health_uri /health/" in caddyfile
    assert "\tlog" not in caddyfile  # no proxy access log (it would keep query strings)


def _instructions() -> list[str]:
    text = (DEPLOY / "Dockerfile").read_text()
    text = re.sub(r"\\\n\s*", " ", text)
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_the_image_recipe():
    lines = _instructions()
    bases = [line.split()[1] for line in lines if line.startswith("FROM ")]
    assert bases and all(b.startswith("python:3.11-slim") for b in bases)
    make_uv = re.search(r"^UV_VERSION := (\S+)", (ROOT / "Makefile").read_text(), re.M)
    assert f"uv=={make_uv.group(1)}" in " ".join(lines)
    assert any("uv sync --frozen --no-dev" in line and "--no-install-project" not in line
               for line in lines)  # fmt: skip
    for line in lines:
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users == ["simpul"]
    cmd = next(line for line in lines if line.startswith("CMD "))
    assert cmd == 'CMD ["gunicorn", "--config", "/opt/simpul/deploy/gunicorn.conf.py"]'
    health = next(line for line in lines if line.startswith("HEALTHCHECK "))
    assert '"http://127.0.0.1:8000/health/"' in health
    assert "SIMPUL_BIND=0.0.0.0:8000" in " ".join(lines)


def test_the_images_collectstatic_step_runs_as_written(tmp_path):
    run = next(line for line in _instructions() if "collectstatic" in line)
    words = shlex.split(run.removeprefix("RUN "))
    words = words[: words.index("&&")]
    assignments = dict(w.split("=", 1) for w in words if re.match(r"^[A-Z_]+=", w))
    command = [_local(w) for w in words if not re.match(r"^[A-Z_]+=", w)]
    env = production_env("", tmp_path, 8000)
    for name in ("SIMPUL_SECRET_KEY", "SIMPUL_VAULT_KEYS", "SIMPUL_BLIND_INDEX_KEY"):
        env.pop(name)
    env.pop("SIMPUL_AUDIT_KEY")
    env.update(assignments)
    env.update(SIMPUL_DATA_DIR=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/c.sqlite3")
    env.pop("SIMPUL_HTTPS")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()  # the manifest whitenoise serves
    assert list((tmp_path / "static").rglob("*.gz"))  # compressed copies
