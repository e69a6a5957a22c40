"""Composition root: parse arguments, then run a command or open the desktop app."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from homeassess.services.context import AppContext


def run_gui(ctx: AppContext, *, open_assessment: str | None = None) -> int:
    from homeassess.ui.application import run_application

    return run_application(ctx, open_assessment=open_assessment)


def main(argv: list[str] | None = None) -> int:
    try:
        # Imported here, not at the top: Ctrl-C during the (slow) imports is caught like any other.
        from homeassess.cli import build_parser, run

        args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
        if args.command is None:
            from homeassess.cli_team import database_url
            from homeassess.ui.application import main as gui_main

            return gui_main(args.data_dir, database_url(args))
        return run(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
