#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Commands and the worker get the commands' statement timeout, runserver the web one; the worker
    # warms up at its start (config/settings.py, config/worker.py).
    if sys.argv[1:2] == ["runserver"]:
        os.environ["ADULTES_RELAIS_PROCESSUS"] = "web"
    elif sys.argv[1:3] == ["procrastinate", "worker"]:
        os.environ["ADULTES_RELAIS_PROCESSUS"] = "worker"
    else:
        os.environ["ADULTES_RELAIS_PROCESSUS"] = "commande"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
