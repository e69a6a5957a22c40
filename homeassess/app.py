"""Composition root: parse arguments, then run a command or open the desktop app."""

from __future__ import annotations

import multiprocessing
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from homeassess.services.context import AppContext


def run_gui(ctx: AppContext, *, open_assessment: str | None = None) -> int:
    from homeassess.ui.application import run_application

    return run_application(ctx, open_assessment=open_assessment)


def main(argv: list[str] | None = None) -> int:
    # A built (frozen) app is its own Python: a photo worker process it spawns runs this executable
    # again, and freeze_support turns that run into the worker instead of a second app. No-op otherwise.
    multiprocessing.freeze_support()
    _give_windowed_app_streams()
    try:
        # Imported here, not at the top: Ctrl-C during the (slow) imports is caught like any other.
        from homeassess.cli import build_parser, run

        args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
        if args.self_test:
            from homeassess.self_test import run_self_test

            return run_self_test()
        if args.command is None:
            from homeassess.cli_team import database_url
            from homeassess.ui.application import main as gui_main

            return gui_main(args.data_dir, database_url(args))
        return run(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def _give_windowed_app_streams() -> None:
    """A windowed build on Windows or macOS starts with no stdout or stderr (None): a print or a log
    line to them would raise. They go to the null device instead; the log file has everything."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the app


if __name__ == "__main__":
    raise SystemExit(main())
