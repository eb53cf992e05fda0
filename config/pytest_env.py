"""Test environment: production-like settings (DEBUG off) with a test secret key, no HTTPS redirect
(the test client speaks plain HTTP) and plain static storage (no collectstatic manifest)."""

import os

os.environ.setdefault("SECRET_KEY", "cle-de-test-uniquement-jamais-en-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
