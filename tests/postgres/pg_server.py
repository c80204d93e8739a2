"""A throwaway PostgreSQL server for the tests: Debian's binaries, a temp data folder,
127.0.0.1 on a free port, password authentication, stopped and deleted afterwards."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

USER = "productops"
# Not a secret: the server lives for one test session on 127.0.0.1.
PASSWORD = "productops-test-password"
# Debian runs servers as `postgres`; PostgreSQL refuses to run as root.
SERVER_ACCOUNT = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here (Debian: `apt-get install postgresql`)."""


@dataclass(frozen=True)
class PostgresServer:
    """A running server: where it listens and the folder that holds it."""

    host: str
    port: int
    user: str
    password: str
    root: Path

    def env(self, database: str) -> dict[str, str]:
        """The productops settings that point at `database` on this server."""
        return {
            "PRODUCTOPS_TARGET": "postgres",
            "PRODUCTOPS_PG_HOST": self.host,
            "PRODUCTOPS_PG_PORT": str(self.port),
            "PRODUCTOPS_PG_USER": self.user,
            "PRODUCTOPS_PG_PASSWORD": self.password,
            "PRODUCTOPS_PG_DATABASE": database,
        }


def server_bin_dir() -> Path:
    """The folder holding `initdb` and `pg_ctl`: Debian's newest, else the PATH's."""
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    if debian:
        return Path(debian[-1]).parent
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) found; "
        "on Debian/Ubuntu: apt-get install postgresql"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_account(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    try:
        pwd.getpwnam(SERVER_ACCOUNT)
    except KeyError:
        raise PostgresUnavailable(
            f"running as root and there is no {SERVER_ACCOUNT!r} account to run the server"
        ) from None
    return ["runuser", "-u", SERVER_ACCOUNT, "--", *command]


def _run(command: list[str], timeout: float) -> None:
    done = subprocess.run(
        _as_server_account(command), capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def start_server() -> PostgresServer:
    """initdb a temp cluster and start it on 127.0.0.1 (durability off: it is thrown away)."""
    bin_dir = server_bin_dir()
    # Not under pytest's tmp folders: those are private to this user, and the server
    # account must be able to reach its data folder.
    root = Path(tempfile.mkdtemp(prefix="productops-pg-"))
    root.chmod(0o755)
    data = root / "data"
    pwfile = root / "pwfile"
    pwfile.write_text(PASSWORD + "\n")
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_ACCOUNT)
        for path in (root, pwfile):
            os.chown(path, account.pw_uid, account.pw_gid)
    _run(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            "--pwfile",
            str(pwfile),
            "--auth",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--locale",
            "C",
        ],
        timeout=120,
    )
    port = _free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {root} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    _run(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        ],
        timeout=90,
    )
    return PostgresServer("127.0.0.1", port, USER, PASSWORD, root)


def stop_server(server: PostgresServer) -> None:
    """Stop the server and delete its folder."""
    try:
        _run(
            [
                str(server_bin_dir() / "pg_ctl"),
                "-D",
                str(server.root / "data"),
                "-m",
                "immediate",
                "-w",
                "-t",
                "60",
                "stop",
            ],
            timeout=90,
        )
    finally:
        shutil.rmtree(server.root, ignore_errors=True)


def create_database(server: PostgresServer, name: str) -> None:
    """An empty database `name` on `server`."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=server.host,
        port=server.port,
        user=server.user,
        password=server.password,
        dbname="postgres",
        autocommit=True,
    ) as con:
        con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
