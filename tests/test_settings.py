import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from danvan import env as env_module

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Hq-2N!uT9pZ#rLw4@vEy8Kc$Jm5Ga0Bd&Fs3Qo6Xi1Ul^Yh-Wt2Re4Pn",
    "ALLOWED_HOSTS": "danvan.quangngai.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://danvan.quangngai.gov.vn",
    "DATABASE_URL": "sqlite:///:memory:",
}


def manage(*args, **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_no_issues_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION}
    del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    env = {**PRODUCTION}
    del env["ALLOWED_HOSTS"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please"])
def test_a_boolean_setting_with_a_nonsense_value_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv("SOME_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_module.env_bool("SOME_FLAG", False)


def test_boolean_and_integer_settings_read_common_spellings(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "Yes")
    monkeypatch.setenv("SOME_NUMBER", "12")
    monkeypatch.setenv("SOME_LIST", "a.vn, b.vn,,")
    assert env_module.env_bool("SOME_FLAG", False) is True
    assert env_module.env_int("SOME_NUMBER", 1) == 12
    assert env_module.env_list("SOME_LIST") == ["a.vn", "b.vn"]
    assert env_module.env_int("UNSET_NUMBER", 7) == 7


def test_an_integer_setting_with_letters_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "mười")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_module.env_int("SOME_NUMBER", 1)


def test_an_integer_setting_below_its_minimum_fails_loudly(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be at least 1"):
        env_module.env_int("SOME_NUMBER", 5, minimum=1)
    monkeypatch.setenv("SOME_NUMBER", "1")
    assert env_module.env_int("SOME_NUMBER", 5, minimum=1) == 1


def test_the_upload_limits_come_from_the_environment():
    result = manage(
        "shell",
        "--verbosity=0",
        "-c",
        "from django.conf import settings as s; print(s.UPLOAD_MAX_IMAGE_MEGAPIXELS,"
        " s.UPLOAD_MAX_UNCOMPRESSED_MB, s.UPLOAD_MAX_COMPRESSION_RATIO)",
        UPLOAD_MAX_IMAGE_MEGAPIXELS="12",
        UPLOAD_MAX_UNCOMPRESSED_MB="34",
        UPLOAD_MAX_COMPRESSION_RATIO="56",
        DATABASE_URL="sqlite:///:memory:",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["12", "34", "56"]
    result = manage("check", UPLOAD_MAX_COMPRESSION_RATIO="1", DATABASE_URL="sqlite:///:memory:")
    assert "UPLOAD_MAX_COMPRESSION_RATIO must be at least 2" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TASKS_BACKEND", "celery", "TASKS_BACKEND must be"),
        ("CACHE_URL", "memcached://x", "CACHE_URL must be"),
        ("STORAGE_URL", "ftp://files", "STORAGE_URL must look like"),
        ("PG_RANDOM_PAGE_COST", "fast", "PG_RANDOM_PAGE_COST must be a number"),
    ],
)
def test_scale_settings_with_nonsense_values_fail_loudly(variable, value, message):
    env = {variable: value}
    if variable == "PG_RANDOM_PAGE_COST":
        env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_queues_jobs_and_can_share_a_redis_cache():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TASKS['default']['BACKEND'], "
        "settings.CACHES['default']['BACKEND'])",
        CACHE_URL="redis://127.0.0.1:6379/1",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert "django_tasks_db.DatabaseBackend" in result.stdout
    assert "RedisCache" in result.stdout
