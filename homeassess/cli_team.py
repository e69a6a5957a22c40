"""Command line for team mode (issue 16): ``team connect|checkout|checkin|status|release|caseload``,
and ``--database-url`` (or HOMEASSESS_DATABASE_URL) to run any command on the team server."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from homeassess.cli_output import print_error, print_row, print_warning
from homeassess.db.server_url import ENV_DATABASE_URL, keyring_name, parse
from homeassess.services.context import AppContext

ENV_PASSWORD = "PGPASSWORD"   # libpq's own: read by the driver when nothing else gives a password


def add_team_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    team = sub.add_parser("team", help="a team's PostgreSQL server: link this laptop, check visits out and in")
    team_sub = team.add_subparsers(dest="team_command", metavar="SUBCOMMAND", required=True)
    connect = team_sub.add_parser("connect", help="link this laptop's data folder to a team server "
                                                  "(postgresql://user@host/database?sslmode=verify-full)")
    connect.add_argument("url", metavar="URL")
    team_sub.add_parser("disconnect", help="forget the team server (nothing may be checked out)")
    checkout = team_sub.add_parser("checkout", help="copy a visit (or, with --client, every visit of a client) to "
                                                    "this laptop and hold it here until check-in")
    checkout.add_argument("assessment", metavar="ASSESSMENT", nargs="?", help="visit id or unique prefix")
    checkout.add_argument("--client", metavar="ID", help="check out every visit of this client")
    checkout.add_argument("--keep", choices=("mine", "theirs"),
                          help="for client fields changed here and on the server: keep this laptop's or the server's")
    checkin = team_sub.add_parser("checkin", help="send every visit held here (and those made here) to the team "
                                                  "server in one transaction and release their holds")
    checkin.add_argument("assessments", metavar="ASSESSMENT", nargs="*", help="only these visits")
    checkin.add_argument("--keep", choices=("mine", "theirs"),
                         help="for fields changed here and on the server: keep this laptop's or the server's "
                              "(without it, conflicts are listed and nothing is checked in)")
    team_sub.add_parser("status", help="the link, the visits held on this laptop, and who holds which visit")
    release = team_sub.add_parser("release", help="(team lead) release another laptop's hold on a visit")
    release.add_argument("assessment", metavar="ASSESSMENT")
    release.add_argument("--reason", required=True, help="why (recorded in the visit's history)")
    release.add_argument("--by", required=True, metavar="NAME", help="your name (recorded in the history)")
    team_sub.add_parser("caseload", help="the team's clients: visits, last visit, therapists, open "
                                         "recommendations, who holds a visit")
    overdue = team_sub.add_parser("overdue", help="agreed or ordered recommendations across the team not "
                                                  "installed after --weeks")
    overdue.add_argument("--weeks", type=int, default=6)


def database_url(args: argparse.Namespace) -> str | None:
    return getattr(args, "database_url", None) or os.environ.get(ENV_DATABASE_URL) or None


def ask_password(url_text: str) -> str | None:
    """Ask on the terminal when nothing else gives a password (the keyring, the URL, ~/.pgpass,
    PGPASSWORD); a script without a terminal goes on without one (trust or certificate logins)."""
    from homeassess.storage.credentials import saved_password

    url = parse(url_text)
    if url.password or os.environ.get(ENV_PASSWORD) or saved_password(keyring_name(url)):
        return None
    if (Path.home() / ".pgpass").exists() or os.environ.get("PGPASSFILE") or not sys.stdin.isatty():
        return None
    return getpass.getpass(f"Password for {url.username or 'you'} on the team server (Enter for none): ") or None


def _server_password(ctx: AppContext) -> str | None:
    from homeassess.services.team import link_of

    link = link_of(ctx)
    return ask_password(link.server) if link is not None else None


def _connect(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.team import connect

    url = parse(args.url)
    password = url.password or ask_password(args.url)
    link = connect(ctx, args.url, password=password)
    print_row("linked", link.server, f"this laptop: {link.device_name}")
    if password and not link.password_saved:
        print_warning("no keyring on this computer: the password was not kept, and will be asked for each time "
                      "(or keep it in ~/.pgpass)")
    elif link.password_saved:
        print_row("password", "kept in this computer's keyring")
    return 0


def _disconnect(ctx: AppContext, _args: argparse.Namespace) -> int:
    from homeassess.services.team import disconnect

    disconnect(ctx)
    print_row("unlinked", "this laptop no longer uses a team server")
    return 0


def _resolving(run, keep: str | None, undone: str):  # type: ignore[no-untyped-def]
    """``run(resolutions)``; on conflicts, list them and stop (None), or run again keeping one side."""
    from homeassess.services.bundles import ImportConflicts

    try:
        return run({})
    except ImportConflicts as exc:
        if keep is None:
            for c in exc.conflicts:
                print_row("conflict", c.where, c.label, f"laptop: {c.mine}", f"server: {c.theirs}")
            print_error(f"{len(exc.conflicts)} field(s) changed on this laptop and on the server; nothing was "
                        f"{undone}. Choose in the app (File > Team), or run again with --keep mine or --keep theirs.")
            return None
        return run({c.key: keep for c in exc.conflicts})


def _checkout(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.team import checkout

    if (args.assessment is None) == (args.client is None):
        print_error("name one visit (ASSESSMENT) or one client (--client ID)")
        return 2
    password = _server_password(ctx)
    result = _resolving(lambda answers: checkout(ctx, assessment_id=args.assessment, client_id=args.client,
                                                 password=password, resolutions=answers), args.keep, "checked out")
    if result is None:
        return 1
    print_row("checked out", result.client_name, f"{len(result.assessment_ids)} visit(s)", f"{result.photos} photo(s)")
    for visit in result.assessment_ids:
        print_row(visit)
    return 0


def _checkin(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.team import checkin

    password = _server_password(ctx)
    only = args.assessments or None
    result = _resolving(lambda answers: checkin(ctx, assessment_ids=only, password=password, resolutions=answers),
                        args.keep, "checked in")
    if result is None:
        return 1
    if not result.assessment_ids:
        print_row("nothing to check in", "no visit is held on this laptop")
        return 0
    print_row("checked in", f"{len(result.assessment_ids)} visit(s)", f"{result.created} record(s) added",
              f"{result.updated} updated", f"{result.photos} photo(s)")
    for note in result.notes:
        print_warning(note)
    for visit in result.assessment_ids:
        print_row(visit)
    return 0


def _holds(holds: object) -> None:
    for h in holds:   # type: ignore[attr-defined]
        print_row("held", h.assessment_id, h.client_name, f"{h.visit_date:%Y-%m-%d}" if h.visit_date else "",
                  h.words + (" (this laptop)" if h.mine else ""))


def _status(ctx: AppContext, _args: argparse.Namespace) -> int:
    from homeassess.services.team import holds, status

    if ctx.is_server:
        print_row("server", ctx.server or "", "working on the team server directly")
        _holds(holds(ctx))
        return 0
    state = status(ctx, password=_server_password(ctx))
    if state.link is None:
        print_row("not linked", "this laptop works on its own data only (`homeassess team connect URL`)")
        return 0
    print_row("linked", state.link.server, f"this laptop: {state.link.device_name}")
    for v in state.visits:
        since = f"since {v.since:%Y-%m-%d %H:%M} UTC" if v.since else "made on this laptop"
        print_row("checked out" if v.state == "out" else "new", v.assessment_id, v.client_name,
                  f"{v.visit_date:%Y-%m-%d}", since, f"{v.changes} change(s) here")
    if state.holds is None:
        print_warning(f"the team server cannot be reached now: {state.server_problem}")
    else:
        _holds(state.holds)
    return 0


def _on_server(ctx: AppContext, work):  # type: ignore[no-untyped-def]
    """Run ``work(server_ctx)`` on the server: this context if it is one, else the linked server."""
    from homeassess.services.team import team_server

    if ctx.is_server:
        return work(ctx)
    with team_server(ctx, password=_server_password(ctx)) as server:
        return work(server)


def _release(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.team import release_hold

    view = _on_server(ctx, lambda server: release_hold(server, args.assessment, reason=args.reason, by=args.by))
    print_row("released", view.assessment_id, f"was held by {view.words}")
    return 0


def _caseload(ctx: AppContext, _args: argparse.Namespace) -> int:
    from homeassess.services.team import caseload

    def show(server: AppContext) -> None:
        offset = 0
        while rows := caseload(server, offset=offset):
            for r in rows:
                print_row(r.client_id, r.client_name, f"{r.visits} visit(s)",
                          f"last {r.last_visit:%Y-%m-%d}" if r.last_visit else "no visits", r.therapists,
                          f"{r.open_recommendations} open", f"held by {r.held_by}" if r.held_by else "")
            offset += len(rows)

    _on_server(ctx, show)
    return 0


def _overdue(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.followup import overdue

    for item in _on_server(ctx, lambda server: overdue(server, weeks=args.weeks)):
        print_row(item.recommendation_id, item.client_name, item.title, f"P{int(item.tier)}", str(item.status),
                  f"since {item.since:%Y-%m-%d}", f"{item.weeks} weeks", item.who)
    return 0


TEAM_COMMANDS = {"connect": _connect, "disconnect": _disconnect, "checkout": _checkout, "checkin": _checkin,
                 "status": _status, "release": _release, "caseload": _caseload, "overdue": _overdue}


def team(ctx: AppContext, args: argparse.Namespace) -> int:
    return TEAM_COMMANDS[args.team_command](ctx, args)
