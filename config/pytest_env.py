"""Test environment: production-like settings (DEBUG off) with a test secret key, no HTTPS redirect
(the test client speaks plain HTTP) and plain static storage (no collectstatic manifest).

These are forced, not defaults: the suite passes whatever the shell exports (DEBUG=true,
STATIC_MANIFEST=true…). The deployed configuration has its own tests (tests/deploye.py), which
start the application in subprocesses with the README's variables."""

import os

os.environ["DEBUG"] = "false"
os.environ["SECRET_KEY"] = "cle-de-test-uniquement-jamais-en-production"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["STATIC_MANIFEST"] = "false"
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ["SENTRY_DSN"] = ""  # no error report leaves a test run (tests/commun/test_sentry.py captures its own)
for variable in ("LOG_FORMAT", "DB_STATEMENT_TIMEOUT_WEB_MS", "DB_STATEMENT_TIMEOUT_COMMANDES_MS"):
    os.environ.pop(variable, None)  # their defaults (tests set what they need)
