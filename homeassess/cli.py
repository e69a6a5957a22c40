"""Command line (DESIGN §4): the same services as the desktop app, for scripting and tests."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from homeassess.cli_bundles import BUNDLE_COMMANDS, add_bundle_parsers, bundle_paths
from homeassess.cli_records import RECORD_COMMANDS, add_record_parsers, command_lock
from homeassess.cli_team import add_team_parsers, ask_password, database_url, team
from homeassess.cli_output import os_error_text, print_error, print_row, print_warning
from homeassess.domain.errors import HomeAssessError
from homeassess.domain.input_files import UnusablePathError, check_input_file, check_output_file
from homeassess.logsetup import CommandRun, DataFolderLog, command_logging
from homeassess.services.context import AppContext, open_context, resolve_data_dir

log = logging.getLogger(__name__)
REPORT_KINDS = ("family", "clinical", "orders", "progress", "progress-family")
PROGRESS_AUDIENCES = {"progress": "referrer", "progress-family": "family"}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="homeassess", description="Occupational therapy home assessments.")
    parser.add_argument("--data-dir", help="folder holding the database and photos "
                                           "(default: HOMEASSESS_DATA_DIR or the user data folder)")
    parser.add_argument("--self-test", action="store_true",
                        help="check this copy works (database, demo, photo workers, every report, the window "
                             "offscreen) in a temporary folder, then exit: 0 when everything passed")
    parser.add_argument("--database-url", metavar="URL",
                        help="work on a team's PostgreSQL server instead of the data folder's database "
                             "(default: HOMEASSESS_DATABASE_URL); the data folder keeps a photo cache")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser("demo", help="create a demo client with a complete home assessment; prints its id last")
    demo.add_argument("--open", action="store_true", help="open the desktop app on the demo visit")
    demo.add_argument("--follow-up", action="store_true",
                      help="also create a review visit 13 weeks on (equipment installed, goals scored); "
                           "prints the follow-up's id last")
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
    report.add_argument("--include-proposed", action="store_true",
                        help="family report: include recommendations not yet agreed (marked as a draft to discuss)")
    orders = sub.add_parser("orders", help="equipment order list as CSV")
    orders.add_argument("assessment", metavar="ASSESSMENT", help="assessment id or unique prefix (6+ characters)")
    orders.add_argument("--csv", required=True, type=Path, metavar="FILE.csv")
    catalogue = sub.add_parser("catalogue", help="equipment catalogue commands")
    catalogue_sub = catalogue.add_subparsers(dest="catalogue_command", metavar="SUBCOMMAND", required=True)
    search = catalogue_sub.add_parser("search", help="search the catalogue: code, name, price, SWL")
    search.add_argument("words", nargs="*", metavar="WORD")
    search.add_argument("--region", choices=("UK", "US", "AU"), default="UK")
    imp = catalogue_sub.add_parser("import", help="import a supplier price list (CSV: supplier, code, name, "
                                                  "price, sizes, SWL)")
    imp.add_argument("file", type=Path, metavar="FILE.csv")
    imp.add_argument("--region", choices=("UK", "US", "AU"), default="UK", help="currency when the file has none")
    scenario = sub.add_parser("scenario", help="create a client + visit from a scenario file (docs/scenarios.md); "
                                               "print its prioritised recommendations and the assessment id last")
    scenario.add_argument("file", type=Path, metavar="FILE.toml")
    scenario.add_argument("--json", action="store_true", help="print one JSON object (recommendations, findings, ids)")
    settings = sub.add_parser("settings", help="show or change the therapist, organisation and default settings")
    settings_sub = settings.add_subparsers(dest="settings_command", metavar="SUBCOMMAND", required=True)
    settings_sub.add_parser("show", help="print every setting: KEY<TAB>VALUE")
    setting = settings_sub.add_parser("set", help="set one setting (an empty VALUE clears it)")
    setting.add_argument("key", metavar="KEY")
    setting.add_argument("value", metavar="VALUE")
    add_record_parsers(sub)
    add_bundle_parsers(sub)
    add_team_parsers(sub)
    return parser


def _settings(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.settings import KEYS, get_settings, set_setting

    if args.settings_command == "set":
        stored, _ = set_setting(ctx, args.key, args.value)
        print_row(args.key, stored)
        return 0
    values = get_settings(ctx)
    for key in KEYS:
        print_row(key, values[key])
    return 0


def _demo(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.demo import create_demo

    if args.follow_up:
        from homeassess.services.demo_followup import create_follow_up_demo
        from homeassess.storage.photos import shutdown_workers

        first_id, assessment_id = create_follow_up_demo(ctx)
        shutdown_workers()
        print_row(first_id)
    else:
        assessment_id = create_demo(ctx)
    print_row(assessment_id)
    if args.open:
        from homeassess.app import run_gui

        return run_gui(ctx, open_assessment=assessment_id)
    return 0


def _clients(ctx: AppContext, _args: argparse.Namespace) -> int:
    from homeassess.services.clients import list_clients

    for c in list_clients(ctx):
        print_row(c.id, c.display_name)
    return 0


def _assessments(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.assessments import list_assessments
    from homeassess.services.visit_record import visit_statuses

    rows = list_assessments(ctx, args.client)
    statuses = visit_statuses(ctx, [a.id for a in rows])
    for a in rows:
        print_row(a.id, a.client_name, a.visit_date.isoformat(), a.kind, statuses[a.id].plain)
    return 0


def _checklists(ctx: AppContext, args: argparse.Namespace) -> int:
    rows = [{"id": c.id, "title": c.title, "items": len(c.items)} for c in ctx.registry.room_types()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print_row(row["id"], row["title"], row["items"])
    return 0


def _report(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.orders import generate_order_pdf
    from homeassess.services.reports import generate_report

    if args.out.suffix.lower() != ".pdf":
        raise HomeAssessError(f"--out must name a .pdf file, got {args.out}")
    if args.kind == "orders":
        path = generate_order_pdf(ctx, args.assessment, args.out)
    elif args.kind in PROGRESS_AUDIENCES:
        from homeassess.services.progress import generate_progress_report

        path = generate_progress_report(ctx, args.assessment, args.out, audience=PROGRESS_AUDIENCES[args.kind])
    else:
        path = generate_report(ctx, args.assessment, args.kind, args.out, include_proposed=args.include_proposed)
    print_row(path)
    return 0


def _orders(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.orders import generate_orders_csv, order_summary_text

    if args.csv.suffix.lower() != ".csv":
        raise HomeAssessError(f"--csv must name a .csv file, got {args.csv}")
    path, order = generate_orders_csv(ctx, args.assessment, args.csv)
    print_row(order_summary_text(order), file=sys.stderr)
    for title in order.not_ordered:
        print_warning(f"agreed but no product chosen: {title}")
    print_row(path)
    return 0


def _catalogue(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.domain.catalogue import CatalogueFilter
    from homeassess.domain.profiles import StandardProfile
    from homeassess.services.catalogue import import_supplier_csv, search_products

    region = StandardProfile(args.region)
    if args.catalogue_command == "import":
        result = import_supplier_csv(ctx, args.file, region=region)
        for error in result.errors:
            print_error(f"{args.file.name}: {error}")
        print_row(result.summary(args.file.name))
        return 1 if result.errors else 0
    for v in search_products(ctx, CatalogueFilter(text=" ".join(args.words), region=region)):
        swl = f"{v.swl_kg:.0f} kg" if v.swl_kg else ""
        print_row(v.code, v.supplier or "generic", v.name, v.price_text, swl, v.hcpcs)
    return 0


def _scenario(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.scenario import load_scenario, result_lines, run_scenario

    result = run_scenario(ctx, load_scenario(args.file, ctx.registry))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    for fields in result_lines(result):
        print_row(*fields)
    print_row(result.assessment_id)
    return 0


def _photos(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.photos import add_photos

    views, errors = add_photos(ctx, args.assessment, args.room, args.files)
    for view in views:
        print_row(view.id, view.original_filename, view.room_name)
    for error in errors:
        print_error(error)
    return 1 if errors else 0


COMMANDS = {"demo": _demo, "clients": _clients, "assessments": _assessments, "checklists": _checklists,
            "report": _report, "photos": _photos, "orders": _orders, "catalogue": _catalogue, "scenario": _scenario,
            "settings": _settings, "team": team, **BUNDLE_COMMANDS}


def run(args: argparse.Namespace) -> int:
    """Run a parsed command. Every failure is one escaped ``error:`` line on stderr and exit 1
    (130 when interrupted); an unexpected one's traceback goes to the data folder's log, never to
    the terminal. A reader that stops reading (``homeassess clients | head -1``) ends it quietly."""
    with command_logging() as command:
        try:
            check_paths(args)
            code = _run_command(args, command.log)
            sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's flush at exit
        except BrokenPipeError:
            return _reader_gone()
        except (KeyboardInterrupt, Exception) as exc:
            return _failed(args, command, exc)
        command.finish()
        return _interrupted() if command.interrupted else code


def _failed(args: argparse.Namespace, command: CommandRun, exc: BaseException) -> int:
    """One ``error:`` line for a failure; a Ctrl-C (or what it broke on its way) is exit 130."""
    command.finish()
    if command.interrupted or _caused_by_interrupt(exc):
        return _interrupted()
    if isinstance(exc, HomeAssessError):
        print_error(exc)
    elif isinstance(exc, OSError):
        print_error(os_error_text(exc))
    else:  # a bug: the traceback goes to the log, one line to the terminal
        log.error("unexpected error in command %s", args.command, exc_info=exc)
        where = f" (details in {command.log.path})" if command.log.path else ""
        print_error(f"unexpected {type(exc).__name__}: {exc}{where}")
    return 1


def _caused_by_interrupt(exc: BaseException | None) -> bool:
    """A Ctrl-C, or an error raised while one was being handled (clean-up code that fails on a
    connection the interrupt closed, as SQLAlchemy's does)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _interrupted() -> int:
    print_error("interrupted")
    return 130


def _run_command(args: argparse.Namespace, logs: DataFolderLog) -> int:
    data_dir = resolve_data_dir(args.data_dir)
    logs.point_at(data_dir)
    with command_lock(data_dir, args):
        server = database_url(args)
        if server and args.command in RECORD_COMMANDS:
            raise HomeAssessError("These commands work on this computer's own database. A team server's backups "
                                  "and checks are made by its administrator (for example pg_dump and amcheck).")
        if args.command in RECORD_COMMANDS:  # these must work when the database cannot be opened
            return RECORD_COMMANDS[args.command](data_dir, args)
        ctx = open_context(data_dir, database_url=server, password=ask_password(server) if server else None)
        for warning in ctx.warnings:
            print_warning(warning)
        return COMMANDS[args.command](ctx, args)


def check_paths(args: argparse.Namespace) -> None:
    """Before any work, even opening the data folder: the data folder's name is valid, an input
    file is not a folder, pipe or device (reading a pipe would wait for ever), and an output file
    is not one either and its folder exists. Photos are checked one by one by the service, so
    the good files of a batch still import."""
    if args.data_dir and "\x00" in args.data_dir:
        raise UnusablePathError(args.data_dir, "not a valid folder name (it holds a NUL character)")
    if args.command == "scenario" or getattr(args, "catalogue_command", None) == "import":
        check_input_file(args.file)
    outputs = {"report": "out", "orders": "csv"}
    if args.command in outputs:
        check_output_file(getattr(args, outputs[args.command]))
    if args.command in BUNDLE_COMMANDS:
        inputs, outs = bundle_paths(args)
        for path in inputs:
            check_input_file(path)
        for path in outs:
            check_output_file(path)


def _reader_gone() -> int:
    """stdout's reader stopped reading (``| head -1`` has the line it wanted): end without a word,
    exit 0. Point stdout at the null device so the interpreter's flush at exit stays quiet too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # an in-process stdout (tests) has no descriptor
        pass
    return 0
