"""A throwaway PostgreSQL cluster for the tests: made in a temporary folder, run as an
unprivileged user on a free loopback port, stopped and deleted at the end. The real server,
never a mock (the server mode's roles, row-level security and triggers are the server's own).

    python -m tools.test_postgres start FOLDER   # prints the superuser's URL
    python -m tools.test_postgres stop FOLDER

The binaries come from the distribution's postgresql package (scripts/test.sh installs it when
missing)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

SUPERUSER = "kaoping_test"
UNPRIVILEGED = ("postgres", "nobody")  # initdb refuses to run as root


def server_bin() -> Path | None:
    """The folder of initdb/pg_ctl/postgres: Debian keeps them out of PATH, per version."""
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(found, "postgres").exists():
            return Path(found)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    for user in UNPRIVILEGED:
        if subprocess.run(["id", "-u", user], capture_output=True).returncode == 0:
            return ["runuser", "-u", user, "--", *command]
    raise RuntimeError("以 root 运行时需要一个非特权用户（postgres 或 nobody）来启动 PostgreSQL")


def _give_to_owner(folder: Path) -> None:
    if os.geteuid() == 0:
        user = next(
            u
            for u in UNPRIVILEGED
            if subprocess.run(["id", "-u", u], capture_output=True).returncode == 0
        )
        shutil.chown(folder, user)


def start(folder: Path) -> str:
    """A new cluster in ``folder`` (which must be empty or absent); the superuser's URL."""
    binaries = server_bin()
    if binaries is None:
        raise RuntimeError("未找到 PostgreSQL 服务器程序（请安装 postgresql 软件包）")
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)
    _give_to_owner(folder)
    data = folder / "data"
    subprocess.run(
        _as_owner(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_owner(
            [
                str(binaries / "pg_ctl"),
                *("-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"),
            ]
        ),
        check=True,
        capture_output=True,
    )
    (folder / "port").write_text(str(port))
    url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"
    _wait_until_accepting(url)
    return url


def _wait_until_accepting(url: str, seconds: float = 30) -> None:
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    deadline = time.monotonic() + seconds
    while True:
        try:
            psycopg.connect(plain, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(folder: Path) -> None:
    binaries = server_bin()
    data = folder / "data"
    if binaries is not None and data.exists():
        subprocess.run(
            _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[1])
    if argv[0] == "start":
        print(start(folder))
    else:
        stop(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
