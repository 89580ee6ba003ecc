"""Scratch databases and child processes for the benchmarks that run the
production server: no Django here, so a benchmark can use it before it sets
Django up in a child process."""

import ctypes
import signal
import urllib.parse


def postgres_url(server_url: str, name: str) -> str:
    """The URL of database NAME on the server SERVER_URL points at."""
    parts = urllib.parse.urlsplit(server_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def postgres(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(statement)  # fixed statements, no user input


def stop_with_parent() -> None:
    """Linux sends SIGTERM to the child when this process dies, however it dies."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
