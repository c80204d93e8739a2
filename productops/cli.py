"""The `productops` command: generate demo data, refresh the warehouse, serve dashboards."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

SCALES = ("demo", "s", "m", "l", "xl")


def _say(message: str) -> None:
    print(message, flush=True)


def _cmd_generate(args: argparse.Namespace) -> int:
    from productops.demo import generate

    started = time.monotonic()
    truth = generate(args.scale, Path(args.out), seed=args.seed, progress=_say)
    counts = truth.get("row_counts", {})
    _say(
        f"wrote the {args.scale} company to {args.out} "
        f"({sum(counts.values()):,} records in {len(counts)} tables) "
        f"in {time.monotonic() - started:.1f}s"
    )
    return 0


def _cmd_refresh(args: argparse.Namespace) -> int:
    # Started before the imports below: the worker imports Great Expectations on the
    # other core while this process imports Dagster (ge_worker.py).
    from orchestration.defs.sources.ge_worker import ge_worker

    with ge_worker():
        return _refresh(args)


def _refresh(args: argparse.Namespace) -> int:
    from orchestration.refresh import RefreshFailed, format_summary, run_refresh
    from orchestration.selection import UnknownSelection
    from orchestration.settings import FULL_REFRESH_VAR, get_settings

    if args.full_refresh:
        # The refresh's steps (and dbt's subprocess) read the flag from settings.
        os.environ[FULL_REFRESH_VAR] = "1"
        get_settings.cache_clear()
    settings = get_settings()
    select = args.select or []
    what = f" {', '.join(select)} and everything downstream" if select else ""
    _say(f"refreshing{what} from {settings.sources_dir} into {settings.data_dir}")
    started = time.monotonic()
    try:
        result = run_refresh(progress=_say, select=select)
    except UnknownSelection as error:
        _say(f"nothing refreshed: {error}")
        return 2
    except RefreshFailed as failure:
        _say(f"refresh failed, nothing published: {failure}")
        return 1
    for line in format_summary(result):
        _say(line)
    _say(
        f"published {settings.serving_path} in {time.monotonic() - started:.1f}s"
    )
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from orchestration.settings import PROJECT_ROOT, get_settings

    settings = get_settings()
    port = args.port or settings.dashboard_port
    if not settings.serving_path.exists():
        _say(f"no published warehouse at {settings.serving_path}: run `productops refresh` first")
        return 1
    command = [
        sys.executable, "-m", "streamlit", "run",
        str(PROJECT_ROOT / "dashboards" / "streamlit_app.py"),
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]
    if _sign_in_mode() == "off":
        # Nothing configured shows everything to whoever connects: this machine only.
        command += ["--server.address", "127.0.0.1"]
        _say("sign-in is off: serving on 127.0.0.1 only (see README: turning sign-in on)")
    _say(f"dashboards: http://localhost:{port}  (Ctrl+C to stop)")
    return subprocess.call(command, env=os.environ.copy())


def _sign_in_mode() -> str:
    """`oidc`, `password` or `off`, as the dashboards will see it (secrets files included)."""
    from dashboards.access_file import oidc_configured_in_files, sign_in_mode
    from orchestration.settings import PROJECT_ROOT, get_settings

    settings = get_settings()
    secrets = [
        Path.cwd() / ".streamlit" / "secrets.toml",
        PROJECT_ROOT / ".streamlit" / "secrets.toml",
        Path.home() / ".streamlit" / "secrets.toml",
    ]
    return sign_in_mode(
        settings.dashboard_password,
        settings.dashboard_access_file,
        oidc_configured_in_files(*secrets),
    )


def _cmd_hash_password(args: argparse.Namespace) -> int:
    import getpass

    from dashboards.passwords import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            _say("the two passwords differ; nothing hashed")
            return 2
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        _say("an empty password cannot be hashed")
        return 2
    _say(hash_password(password))
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from productops.bench import BenchFailed, run_bench, write_results
    from productops.bench.scratch import RESULTS_DIR

    _say(f"benchmarking scale {args.scale} (generated data in bench/scratch/{args.scale})")
    try:
        result = run_bench(args.scale, seed=args.seed, progress=_say)
    except BenchFailed as failure:
        _say(f"benchmark failed: {failure}")
        return 1
    json_path, md_path = write_results(result, RESULTS_DIR)
    _say(md_path.read_text().split("\n\n")[1])
    _say(f"wrote {json_path} and {md_path}")
    return 0


def _cmd_board_pack(args: argparse.Namespace) -> int:
    from dashboards import board_pack
    from dashboards.periods import Quarter
    from orchestration.settings import get_settings

    board_pack.quiet_streamlit()
    settings = get_settings()
    if not settings.serving_path.exists():
        _say(f"no published warehouse at {settings.serving_path}: run `productops refresh` first")
        return 1
    started = time.monotonic()
    try:
        quarter = (
            Quarter.parse(args.quarter) if args.quarter else board_pack.latest_complete_quarter()
        )
        out = board_pack.write_pptx(quarter, Path(args.out))
    except ValueError as error:  # a malformed quarter, or one the data does not cover
        _say(f"no board pack written: {error}")
        return 2
    _say(f"wrote the {quarter.label} board pack to {out} in {time.monotonic() - started:.1f}s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface, built apart from running it so it can be tested."""
    parser = argparse.ArgumentParser(prog="productops", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write a synthetic company's exports")
    generate.add_argument("--scale", choices=SCALES, default="demo")
    generate.add_argument("--out", required=True, help="folder to write the sources into")
    generate.add_argument("--seed", type=int, default=42)
    generate.set_defaults(run=_cmd_generate)

    refresh = commands.add_parser(
        "refresh", help="ingest every source, build the marts and publish the serving copy"
    )
    refresh.add_argument(
        "--select",
        action="append",
        metavar="NAME",
        help=(
            "refresh only this source (jira, hr, ...), raw table or dbt model and "
            "everything downstream of it; repeatable"
        ),
    )
    refresh.add_argument(
        "--full-refresh",
        action="store_true",
        help=(
            "re-read every source file and rebuild incremental models from scratch "
            "(after changing the pseudonym key, the catalog or upgrading productops)"
        ),
    )
    refresh.set_defaults(run=_cmd_refresh)

    bench = commands.add_parser(
        "bench",
        help="generate a company of a scale if needed, then time its full and incremental "
        "refresh, memory and dashboard queries into bench/results/<scale>.json",
    )
    bench.add_argument("--scale", choices=SCALES, default="s")
    bench.add_argument("--seed", type=int, default=42)
    bench.set_defaults(run=_cmd_bench)

    serve = commands.add_parser("serve", help="serve the dashboards on the published warehouse")
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(run=_cmd_serve)

    hashing = commands.add_parser(
        "hash-password",
        help="print a password hash for the dashboards' access file (reads the password "
        "from the terminal, or one line of stdin)",
    )
    hashing.set_defaults(run=_cmd_hash_password)

    pack = commands.add_parser(
        "board-pack", help="write the CPO's board pack (PPTX) for a quarter from the serving copy"
    )
    pack.add_argument(
        "--quarter", help="e.g. 2026Q3; default: the latest complete quarter in the data"
    )
    pack.add_argument("--out", required=True, help="the .pptx file to write")
    pack.set_defaults(run=_cmd_board_pack)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
