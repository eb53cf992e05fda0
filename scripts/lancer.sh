#!/usr/bin/env bash
# `make run`, once migrated and the demo loaded: the worker of the job queue (e-mails, daily work) in
# the background, the development server in the foreground. Stopping the server (Ctrl-C) stops the
# worker; the jobs deferred meanwhile wait in PostgreSQL for the next start.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG=true
.venv/bin/python manage.py procrastinate worker &
worker=$!
arreter_le_worker() {
  kill -TERM "$worker" 2>/dev/null || true
  wait "$worker" 2>/dev/null || true
}
trap arreter_le_worker EXIT
trap 'exit 130' INT TERM
.venv/bin/python manage.py runserver 127.0.0.1:8000
