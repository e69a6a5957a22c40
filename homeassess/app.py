"""Composition root: parse arguments, then run a command or open the desktop app."""

from __future__ import annotations

import sys

from homeassess.cli import build_parser, run
from homeassess.services.context import AppContext


def run_gui(ctx: AppContext, *, open_assessment: str | None = None) -> int:
    from homeassess.ui.application import run_application

    return run_application(ctx, open_assessment=open_assessment)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        from homeassess.ui.application import main as gui_main

        return gui_main(args.data_dir)
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
