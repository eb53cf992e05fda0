#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Commands and the worker get the commands' statement timeout, runserver the web one (config/settings.py).
    os.environ["ADULTES_RELAIS_PROCESSUS"] = "web" if sys.argv[1:2] == ["runserver"] else "commande"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
