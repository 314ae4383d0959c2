"""The linkage settings are read in settings.py only (issue 13, item 4): thresholds and the
worker count come from the environment there, and bad values stop the start."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from simpul.lib.envconf import env_float
from simpul.linkage.service import thresholds


def _settings(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import simpul.settings as s; "
        "print(s.LINKAGE_AUTO_THRESHOLD, s.LINKAGE_REVIEW_THRESHOLD, s.LINKAGE_WORKERS)"
    )
    environ = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_LINKAGE")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "SIMPUL_TESTING": "true", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_environment_sets_the_linkage_settings():
    assert _settings().stdout.split() == ["0.88", "0.5", "2"]
    done = _settings(
        SIMPUL_LINKAGE_AUTO_THRESHOLD="0.9",
        SIMPUL_LINKAGE_REVIEW_THRESHOLD="0.6",
        SIMPUL_LINKAGE_WORKERS="4",
    )
    assert done.stdout.split() == ["0.9", "0.6", "4"]


def test_a_review_threshold_above_the_automatic_one_stops_the_start():
    done = _settings(SIMPUL_LINKAGE_REVIEW_THRESHOLD="0.95")
    assert done.returncode != 0
    assert "SIMPUL_LINKAGE_REVIEW_THRESHOLD must not exceed" in done.stderr


def test_env_float_refuses_text_and_values_out_of_range(monkeypatch):
    monkeypatch.setenv("SIMPUL_X", "0.25")
    assert env_float("SIMPUL_X", 0.5) == 0.25
    monkeypatch.setenv("SIMPUL_X", "")
    assert env_float("SIMPUL_X", 0.5) == 0.5
    monkeypatch.setenv("SIMPUL_X", "high")
    with pytest.raises(ImproperlyConfigured, match="must be a number"):
        env_float("SIMPUL_X", 0.5)
    monkeypatch.setenv("SIMPUL_X", "1.5")
    with pytest.raises(ImproperlyConfigured, match=r"between 0\.0 and 1\.0"):
        env_float("SIMPUL_X", 0.5)


def test_the_service_reads_the_thresholds_from_settings():
    with override_settings(LINKAGE_AUTO_THRESHOLD=0.93, LINKAGE_REVIEW_THRESHOLD=0.4):
        chosen = thresholds()
    assert (chosen.auto_link, chosen.review) == (0.93, 0.4)
