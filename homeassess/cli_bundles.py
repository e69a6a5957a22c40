"""Command line for visit bundles (issue 15): ``export`` and ``import``."""

from __future__ import annotations

import argparse
from pathlib import Path

from homeassess.cli_output import print_error, print_row
from homeassess.domain.input_files import check_input_file
from homeassess.services.context import AppContext
from homeassess.storage.bundle_format import BundleError

PASSPHRASE_LIMIT = 1024


def add_bundle_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = sub.add_parser("export", help="write a visit (or, with --client, a client and every visit) to a "
                                           ".homeassess bundle; encrypted with --passphrase-file")
    export.add_argument("assessment", metavar="ASSESSMENT", nargs="?", help="visit id or unique prefix")
    export.add_argument("--client", metavar="ID", help="export this client with all their visits instead")
    export.add_argument("--out", required=True, type=Path, metavar="FILE.homeassess")
    export.add_argument("--passphrase-file", type=Path, metavar="F", help="encrypt with the passphrase on F's first line")
    imp = sub.add_parser("import", help="import a .homeassess bundle: checked in full first, then one transaction; "
                                        "a second import of the same bundle changes nothing")
    imp.add_argument("file", type=Path, metavar="FILE.homeassess")
    imp.add_argument("--passphrase-file", type=Path, metavar="F", help="the passphrase, on F's first line")
    imp.add_argument("--keep", choices=("mine", "theirs"),
                     help="for fields changed both here and in the bundle: keep this copy's or the bundle's "
                          "(without it, such conflicts are listed and nothing is imported)")


def bundle_paths(args: argparse.Namespace) -> tuple[list[Path], list[Path]]:
    """(inputs, outputs) to check before any work (cli.check_paths)."""
    inputs = [args.passphrase_file] if getattr(args, "passphrase_file", None) else []
    if args.command == "import":
        return [args.file, *inputs], []
    return inputs, [args.out]


def _passphrase(path: Path | None) -> str | None:
    if path is None:
        return None
    check_input_file(path)
    text = path.read_text(encoding="utf-8", errors="strict").splitlines()
    phrase = text[0].strip() if text else ""
    if not phrase:
        raise BundleError(f"{path} holds no passphrase on its first line")
    if len(phrase) > PASSPHRASE_LIMIT:
        raise BundleError(f"the passphrase in {path} is longer than {PASSPHRASE_LIMIT} characters")
    return phrase


def _export(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.bundles import export_bundle

    if (args.assessment is None) == (args.client is None):
        raise BundleError("name one visit (ASSESSMENT) or one client (--client ID), not both")
    result = export_bundle(ctx, args.out, assessment_id=args.assessment, client_id=args.client,
                           passphrase=_passphrase(args.passphrase_file))
    print_row(result.path, f"{result.visits} visit(s)", f"{result.photos} photo(s)", f"{result.size_bytes} bytes",
              "encrypted" if result.encrypted else "not encrypted")
    return 0


def _import(ctx: AppContext, args: argparse.Namespace) -> int:
    from homeassess.services.bundles import ImportConflicts, import_bundle

    phrase = _passphrase(args.passphrase_file)
    try:
        result = import_bundle(ctx, args.file, passphrase=phrase)
    except ImportConflicts as conflicts:
        if args.keep is None:
            for c in conflicts.conflicts:
                print_row("conflict", c.where, c.label, f"here: {c.mine}", f"bundle: {c.theirs}")
            print_error(f"{len(conflicts.conflicts)} field(s) changed both here and in the bundle; nothing was "
                        "imported. Choose in the app (File > Import), or run again with --keep mine or --keep theirs.")
            return 1
        result = import_bundle(ctx, args.file, passphrase=phrase,
                               resolutions={c.key: args.keep for c in conflicts.conflicts})
    if result.unchanged:
        print_row("unchanged", "this bundle was imported before: nothing changed")
    else:
        print_row("imported", f"{result.created} record(s) added", f"{result.updated} updated",
                  f"{result.visits} visit(s)", f"{result.photos} photo(s)")
    for visit in result.assessment_ids:
        print_row(visit)
    return 0


BUNDLE_COMMANDS = {"export": _export, "import": _import}
