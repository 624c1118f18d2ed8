"""The sign-in settings come from the environment (each case in a fresh Python)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
VARIABLES = (
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "BEHIND_TLS_PROXY",
    "FORWARDED_ALLOW_IPS",
    "OTP_REQUIRED_GROUPS",
)
PRINT = """
import json
from django.conf import settings
print(json.dumps({
    "enabled": settings.AXES_ENABLED,
    "limit": settings.AXES_FAILURE_LIMIT,
    "cool_off": settings.AXES_COOLOFF_TIME.total_seconds(),
    "from_proxy": settings.SIGN_IN_IP_FROM_FORWARDED_FOR,
    "proxies": settings.SIGN_IN_TRUSTED_PROXIES,
    "required": settings.OTP_REQUIRED_GROUPS,
    "backends": settings.AUTHENTICATION_BACKENDS,
}))
"""


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    environment.update(
        DJANGO_SETTINGS_MODULE="helpdesk.settings",
        DEBUG="1",
        HELPDESK_VAR_DIR=str(tmp_path),
        PYTHONPATH=str(BASE_DIR),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_defaults(tmp_path):
    result = run(tmp_path)

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["enabled"] is True
    assert (values["limit"], values["cool_off"]) == (5, 15 * 60)
    assert (values["from_proxy"], values["proxies"]) == (False, ["127.0.0.1"])
    assert values["required"] == []
    assert values["backends"][0] == "staff.backends.LockoutBackend"


def test_every_value_can_be_set(tmp_path):
    result = run(
        tmp_path,
        AXES_ENABLED="0",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
        BEHIND_TLS_PROXY="1",
        FORWARDED_ALLOW_IPS="10.0.0.1,10.0.0.2",
        OTP_REQUIRED_GROUPS="Managers, Helpdesk staff",
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["enabled"] is False
    assert (values["limit"], values["cool_off"]) == (3, 30 * 60)
    assert (values["from_proxy"], values["proxies"]) == (True, ["10.0.0.1", "10.0.0.2"])
    assert values["required"] == ["Managers", "Helpdesk staff"]


def test_a_limit_of_zero_stops_the_start_up(tmp_path):
    result = run(tmp_path, AXES_FAILURE_LIMIT="0")

    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT must be 1 or more" in result.stderr
