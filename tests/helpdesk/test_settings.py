"""Settings come from the environment and fail loudly on what they cannot use.

Each test starts a fresh Python with a controlled environment, because the
settings module is read once per process.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]


def redis_test_url() -> str:
    """A Redis database for this test process: 15 without xdist, 14, 13, … per xdist worker.

    The round trip empties the queue it uses, so the workers of one run never share one.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … under xdist
    index = int(worker.removeprefix("gw")) + 1 if worker else 0
    return f"redis://127.0.0.1:6379/{15 - index % 15}"


#: Variables the tests set themselves; whatever the outer environment says about
#: them (the suite's own conftest sets several) is left out.
CONTROLLED = {
    "Q_SYNC",
    "DEBUG",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "HELPDESK_VAR_DIR",
    "EMAIL_BACKEND",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "CONN_MAX_AGE",
    "CONN_HEALTH_CHECKS",
    "POSTGRES_JIT",
}

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "DATABASE": {k: v for k, v in settings.DATABASES["default"].items() if k != "OPTIONS"},
    "Q_CLUSTER": settings.Q_CLUSTER,
}, default=str))
"""


def run(
    args: list[str], tmp_path: Path, timeout: int = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python <args>`` in the project with only the given helpdesk variables set."""
    environment = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    environment.update(
        DJANGO_SETTINGS_MODULE="helpdesk.settings",
        HELPDESK_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=str(BASE_DIR),
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def settings_under(tmp_path: Path, **env: str) -> dict:
    result = run(["-c", PRINT_SETTINGS], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "helpdesk.pso-nederland.nl",
    }


def test_start_up_without_secret_key_and_debug_off_is_refused(tmp_path):
    result = run(["-c", "import django; django.setup()"], tmp_path, DEBUG="0")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text("a-key-read-from-a-file\n")

    settings = settings_under(tmp_path, SECRET_KEY_FILE=str(key_file))

    assert settings["SECRET_KEY"] == "a-key-read-from-a-file"


def test_the_key_generated_by_the_local_run_is_used_when_none_is_set(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("key-that-scripts-run-generated\n")

    settings = settings_under(tmp_path, DEBUG="0")

    assert settings["SECRET_KEY"] == "key-that-scripts-run-generated"


def test_debug_on_without_secret_key_uses_a_development_key(tmp_path):
    settings = settings_under(tmp_path, DEBUG="1")

    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"].startswith("django-insecure-")


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_debug_value_that_is_not_a_boolean_stops_the_start_up(tmp_path, value):
    result = run(["-c", PRINT_SETTINGS], tmp_path, DEBUG=value, SECRET_KEY="x" * 50)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DEBUG must be a boolean (1/0, true/false), not '{value}'" in result.stderr


def test_postgres_database_url_selects_the_postgres_engine(tmp_path):
    settings = settings_under(
        tmp_path,
        DEBUG="1",
        DATABASE_URL="postgres://helpdesk:geheim@db.internal:5433/helpdesk_prod",
    )

    database = settings["DATABASE"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "helpdesk_prod"
    assert database["USER"] == "helpdesk"
    assert database["PASSWORD"] == "geheim"
    assert database["HOST"] == "db.internal"
    assert int(database["PORT"]) == 5433


def test_default_database_is_sqlite_under_var_in_wal_mode(tmp_path):
    code = """
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(settings.DATABASES["default"]["NAME"])
    print(cursor.fetchone()[0])
"""
    result = run(["-c", "import django; django.setup()\n" + code], tmp_path, DEBUG="1")

    assert result.returncode == 0, result.stderr
    name, journal_mode = result.stdout.split()
    assert Path(name) == tmp_path / "var" / "helpdesk.sqlite3"
    assert Path(name).exists()
    assert journal_mode == "wal"


def test_without_redis_url_background_work_uses_the_database_broker(tmp_path):
    q_cluster = settings_under(tmp_path, DEBUG="1")["Q_CLUSTER"]

    assert q_cluster["orm"] == "default"
    assert "redis" not in q_cluster


def test_redis_url_switches_background_work_to_redis(tmp_path):
    q_cluster = settings_under(tmp_path, DEBUG="1", REDIS_URL="redis://cache.internal:6379/2")[
        "Q_CLUSTER"
    ]

    assert q_cluster["redis"] == "redis://cache.internal:6379/2"
    assert "orm" not in q_cluster


def test_deploy_check_is_clean_with_production_variables(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **production_env(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_flags_a_short_secret_key(tmp_path):
    env = {**production_env(), "SECRET_KEY": "too-short"}

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


REDIS_ROUND_TRIP = """
import django
django.setup()
from django.core.management import call_command
from django_q.brokers import get_broker
from django_q.brokers.redis_broker import Redis
from django_q.cluster import Cluster
from django_q.tasks import async_task, result

call_command("migrate", verbosity=0)
broker = get_broker()
assert isinstance(broker, Redis), type(broker)
assert broker.ping(), "Redis did not answer"
broker.purge_queue()
task_id = async_task("operator.mul", 6, 7, broker=broker)
assert broker.queue_size() == 1, broker.queue_size()
cluster = Cluster(broker)
cluster.start()
try:
    # Generous: a loaded CI machine starts the cluster slowly; a pass is usually ~2 s.
    print(result(task_id, wait=120_000))
finally:
    cluster.stop()
"""


def test_a_task_queued_on_redis_is_run_by_the_cluster(tmp_path):
    """Production's broker for real: Redis on 127.0.0.1:6379 (CI starts it)."""
    # A database of its own, so nothing else's queue on the same Redis is touched.
    redis_url = f"{redis_test_url()}?socket_connect_timeout=3"
    env = {
        **production_env(),
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / f'q-{uuid.uuid4().hex}.sqlite3'}",
        "Q_WORKERS": "1",
    }

    result = run(["-c", textwrap.dedent(REDIS_ROUND_TRIP)], tmp_path, timeout=240, **env)

    assert result.returncode == 0, (
        "The Redis round trip failed (is Redis running on 127.0.0.1:6379?)\n" + result.stderr
    )
    assert result.stdout.strip().splitlines()[-1] == "42"


def test_database_connections_are_kept_a_minute_and_checked_before_reuse(tmp_path):
    settings = settings_under(tmp_path, DEBUG="1")

    assert settings["DATABASE"]["CONN_MAX_AGE"] == 60
    assert settings["DATABASE"]["CONN_HEALTH_CHECKS"] is True


def test_connection_keeping_comes_from_the_environment(tmp_path):
    settings = settings_under(tmp_path, DEBUG="1", CONN_MAX_AGE="0", CONN_HEALTH_CHECKS="0")

    assert settings["DATABASE"]["CONN_MAX_AGE"] == 0
    assert settings["DATABASE"]["CONN_HEALTH_CHECKS"] is False


def test_a_connection_age_that_is_not_a_number_stops_the_start_up(tmp_path):
    result = run(["-c", PRINT_SETTINGS], tmp_path, DEBUG="1", CONN_MAX_AGE="a minute")

    assert result.returncode != 0
    assert "CONN_MAX_AGE must be an integer" in result.stderr


PRINT_OPTIONS = """
import json
from django.conf import settings
print(json.dumps(settings.DATABASES["default"].get("OPTIONS", {})))
"""


def test_postgres_connections_do_without_jit_compilation_unless_asked(tmp_path):
    url = "postgres://helpdesk@db.internal/helpdesk"
    off = run(["-c", PRINT_OPTIONS], tmp_path, DEBUG="1", DATABASE_URL=url)
    on = run(["-c", PRINT_OPTIONS], tmp_path, DEBUG="1", DATABASE_URL=url, POSTGRES_JIT="1")

    assert json.loads(off.stdout)["options"] == "-c jit=off"
    assert "options" not in json.loads(on.stdout)


@pytest.mark.django_db
def test_the_database_connection_has_jit_off_on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
