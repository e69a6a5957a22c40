"""Command line (DESIGN §4): the same services as the desktop app, for scripting and tests."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from homeassess.domain.errors import HomeAssessError
from homeassess.services.context import AppContext, open_context, resolve_data_dir

log = logging.getLogger(__name__)
REPORT_KINDS = ("family", "clinical")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="homeassess", description="Occupational therapy home assessments.")
    parser.add_argument("--data-dir", help="folder holding the database and photos "
                                           "(default: HOMEASSESS_DATA_DIR or the user data folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="create a demo client with a complete home assessment; prints its id last")
    demo.add_argument("--open", action="store_true", help="open the desktop app on the demo visit")
    sub.add_parser("clients", help="list clients: id, name")
    assessments = sub.add_parser("assessments", help="list assessments: id, client, date, kind, status")
    assessments.add_argument("--client", help="only this client's (id or unique prefix)")
    checklists = sub.add_parser("checklists", help="list room types with item counts")
    checklists.add_argument("--json", action="store_true", help='print [{"id":..,"title":..,"items":N}, ...]')
    photos = sub.add_parser("photos", help="photo commands")
    photo_sub = photos.add_subparsers(dest="photos_command", metavar="SUBCOMMAND", required=True)
    add = photo_sub.add_parser("add", help="import photos into a room (ROOM: room id or name)")
    add.add_argument("assessment", metavar="ASSESSMENT")
    add.add_argument("room", metavar="ROOM")
    add.add_argument("files", metavar="FILE", nargs="+", type=Path)
    report = sub.add_parser("report", help="write a report as PDF")
    report.add_argument("assessment", metavar="ASSESSMENT", help="assessment id or unique prefix (6+ characters)")
    report.add_argument("--kind", required=True, choices=REPORT_KINDS)
    report.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    return parser


def _demo(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.demo import create_demo

    assessment_id = create_demo(ctx)
    print(assessment_id)
    if args.open:
        from homeassess.app import run_gui

        return run_gui(ctx, open_assessment=assessment_id)
    return 0


def _clients(ctx: AppContext, _args: argparse.Namespace) -> int:
    from homeassess.services.clients import list_clients

    for c in list_clients(ctx):
        print(f"{c.id}\t{c.display_name}")
    return 0


def _assessments(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.assessments import list_assessments

    for a in list_assessments(ctx, args.client):
        print(f"{a.id}\t{a.client_name}\t{a.visit_date.isoformat()}\t{a.kind}\t{a.status}")
    return 0


def _checklists(ctx: AppContext, args: argparse.Namespace) -> int:
    rows = [{"id": c.id, "title": c.title, "items": len(c.items)} for c in ctx.registry.room_types()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print(f"{row['id']}\t{row['title']}\t{row['items']}")
    return 0


def _report(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.reports import generate_report

    if args.out.suffix.lower() != ".pdf":
        raise HomeAssessError(f"--out must name a .pdf file, got {args.out}")
    path = generate_report(ctx, args.assessment, args.kind, args.out)
    print(path)
    return 0


def _photos(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.photos import add_photos

    views, errors = add_photos(ctx, args.assessment, args.room, args.files)
    for view in views:
        print(f"{view.id}\t{view.original_filename}\t{view.room_name}")
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if errors else 0


COMMANDS = {"demo": _demo, "clients": _clients, "assessments": _assessments, "checklists": _checklists,
            "report": _report, "photos": _photos}


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; every expected failure becomes one ``error:`` line and exit 1."""
    try:
        ctx = open_context(resolve_data_dir(args.data_dir))
        return COMMANDS[args.command](ctx, args)
    except HomeAssessError as exc:
        print(f"error: {str(exc).splitlines()[0]}", file=sys.stderr)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
    except Exception as exc:  # a bug: log the traceback, show one line
        log.exception("unexpected error in command %s", args.command)
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1
