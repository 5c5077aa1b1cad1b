#!/bin/sh
# The load test: gunicorn on the loopback with production settings, locust headless with
# 50 users for LOAD_TIME (default 2 minutes). Needs a database seeded by seed_scale:
#   DATABASE_URL=postgres://…/danvan_load LOAD_TAG=<tag printed by seed_scale> LOAD_ORGS=20 loadtest/run.sh
# Writes var/locust_stats.csv and prints the summary; exits non-zero if a request failed.
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the seeded database}"
: "${LOAD_TAG:?set LOAD_TAG to the tag seed_scale printed}"
PORT=${LOAD_PORT:-8765}
USERS=${LOAD_USERS:-50}
mkdir -p var
export DEBUG=0 SECRET_KEY=load-test-only-$$-not-a-secret ALLOWED_HOSTS=127.0.0.1 \
    SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 BEHIND_PROXY=0 \
    REQUIRE_2FA=0 LOGIN_THROTTLE=0 TASKS_BACKEND=immediate BENCHMARK_VIEWS=1 \
    STATIC_ROOT="$PWD/var/load-static" LOG_LEVEL=WARNING \
    EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/gunicorn danvan.wsgi:application --bind "127.0.0.1:$PORT" \
    --workers "${LOAD_WORKERS:-4}" --timeout 120 --pid var/load-gunicorn.pid \
    --error-logfile var/load-gunicorn.log --capture-output --daemon
trap 'kill "$(cat var/load-gunicorn.pid)"' EXIT
for _ in $(seq 30); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done
.venv/bin/locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    -u "$USERS" -r "${LOAD_RATE:-5}" -t "${LOAD_TIME:-3m}" --reset-stats --csv var/locust --only-summary \
    --exit-code-on-error 1
