"""Command line for the records themselves (issue 14): ``backup create|list|restore`` and ``check``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from homeassess.cli_output import print_error, print_row, print_warning
from homeassess.domain.errors import HomeAssessError
from homeassess.storage.backups import utc_now

# How long a command that changes data waits for the app (or another command) to let go.
ENV_LOCK_WAIT = "HOMEASSESS_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 10.0


def add_record_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    backup = sub.add_parser("backup", help="backups of the database and photos")
    backup_sub = backup.add_subparsers(dest="backup_command", metavar="SUBCOMMAND", required=True)
    create = backup_sub.add_parser("create", help="make a verified backup now; prints its name")
    create.add_argument("--to", type=Path, metavar="DIR", help="also copy it to this folder (USB stick, network)")
    backup_sub.add_parser("list", help="list backups: name, date, size, clients, visits")
    restore = backup_sub.add_parser("restore", help="restore a backup (the current database is set aside first)")
    restore.add_argument("name", metavar="NAME")
    sub.add_parser("check", help="full check: database integrity and every photo present and unchanged; "
                                 "exit 1 with a list when something is wrong")


def changes_data(args: argparse.Namespace) -> bool:
    """Commands that write to the data folder take its lock; reading ones (reports, lists, check) do not."""
    sub = {"catalogue": "catalogue_command", "settings": "settings_command", "backup": "backup_command"}
    if args.command in sub:
        return getattr(args, sub[args.command]) in ("import", "set", "create", "restore")
    if args.command == "team":   # the link and the checked-out copies live in this folder's database
        return args.team_command in ("connect", "disconnect", "checkout", "checkin")
    return args.command in ("demo", "photos", "scenario", "export", "import")   # export records what it sent


@contextmanager
def command_lock(data_dir: Path, args: argparse.Namespace) -> Iterator[None]:
    from homeassess.storage.lock import holding

    if not changes_data(args):
        yield
        return
    try:
        wait = float(os.environ.get(ENV_LOCK_WAIT, DEFAULT_LOCK_WAIT))
    except ValueError:
        wait = DEFAULT_LOCK_WAIT
    with holding(data_dir, wait=wait, what=f"the command `homeassess {args.command}`"):
        yield


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{max(1, round(n / 1000))} kB"


def _backup(data_dir: Path, args: argparse.Namespace) -> int:
    from homeassess.services import backups

    if args.backup_command == "create":
        outcome = backups.create_backups(data_dir, reason="manual", now=utc_now(), to=args.to)
        for problem in outcome.problems:
            print_error(problem)
        for made in outcome.made:
            print_row(made.name, made.location or made.root)
        return 0 if outcome.made and not outcome.problems else 1
    if args.backup_command == "list":
        found = backups.list_backups(data_dir)
        if not found:
            print_row(f"No backups yet in {backups.primary_root(data_dir)}.", file=sys.stderr)
        for b in found:
            print_row(b.name, b.created_at.strftime("%Y-%m-%d %H:%M UTC"), _size(b.size_bytes), f"{b.clients} clients",
                      f"{b.visits} visits", b.location or "data folder")
        return 0
    result = backups.restore(data_dir, args.name, now=utc_now())
    if result.set_aside is not None:
        print_row(f"The database that was in use is kept in {result.set_aside}", file=sys.stderr)
    for name in result.photos_missing:
        print_warning(f"photo not in the backup or the photo folder: {name}")
    print_row("restored", result.restored.name, f"{result.restored.clients} clients", f"{result.restored.visits} visits")
    return 0


def _check(data_dir: Path, _args: argparse.Namespace) -> int:
    from homeassess.services.backups import full_check

    if not data_dir.is_dir():
        raise HomeAssessError(f"There is no data folder at {data_dir}.")
    report = full_check(data_dir)
    for problem in report.problems:
        print_row("problem", problem)
    if report.ok:
        print_row("ok", f"database sound; {report.photos_checked} photo(s) present and unchanged")
        return 0
    print_error(f"{len(report.problems)} problem(s) found in {data_dir}")
    return 1


RECORD_COMMANDS = {"backup": _backup, "check": _check}
