"""Sweeping up what interrupted work leaves behind: photos whose import was killed before their row
was written, half-written temporary files, forgotten camera captures and mark-up copies nothing
uses any more. The app runs ``sweep_debris`` in the background at every start; the command line
does not (its runs are short, and a sweep needs the grace period to pass anyway).

On a team server (``ctx.is_server``) the photo folders are not swept: the server's photos are rows
(``photo_file``) that only an erasure removes, and the data folder's ``photos/`` and ``cache/`` are
shared by this computer's cache of them and the laptop's own database, whose photos the server's
rows do not list (a sweep judged by the server's rows would delete them). Only interrupted reports
in the scratch folder go; the laptop's own start-up sweep looks after its photos.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from homeassess.db import models as m
from homeassess.services.context import AppContext
from homeassess.storage.outputs import sweep_outputs

log = logging.getLogger(__name__)
GRACE = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class SweepReport:
    orphan_photos: int      # stored photos no row (deleted ones included) points to
    temp_files: int         # half-written files and camera captures older than the grace period
    derivatives: int        # thumbnails and fitted or marked-up copies nothing needs any more

    @property
    def anything(self) -> bool:
        return bool(self.orphan_photos or self.temp_files or self.derivatives)


def referenced_files(ctx: AppContext) -> tuple[set[str], set[tuple[str, str]]]:
    """Every photo hash a row points to, and every (hash, mark-up key) pair, in one query.

    Deleted photos count: their rows stay until erased (undo needs the file). Photos are the only
    rows that name a stored file (signatures are kept in the database itself)."""
    from homeassess.storage.photos import annotation_key

    shas: set[str] = set()
    marked: set[tuple[str, str]] = set()
    with ctx.uow(read_only=True) as uow:
        for sha, annotations in uow.session.execute(select(m.Photo.sha256, m.Photo.annotations)):
            shas.add(sha)
            if annotations:
                marked.add((sha, annotation_key(annotations)))
    return shas, marked


def sweep_debris(ctx: AppContext, *, grace: timedelta = GRACE) -> SweepReport:
    """Remove files under photos/, cache/ and tmp/ that nothing refers to and that are older than
    ``grace`` (by modification time), never a file a row still points to; and the hidden ``.part``
    files an interrupted report left beside its target (storage/outputs.py).

    The rows are read before the folders are listed, so a photo imported meanwhile is newer than
    the grace period and kept; a photo imported again touches its file, restarting the period.

    On a team server only the interrupted reports go (see the module's docstring)."""
    if ctx.is_server:
        outputs = sweep_outputs(ctx.scratch_dir, time.time() - grace.total_seconds())
        report = SweepReport(orphan_photos=0, temp_files=outputs, derivatives=0)
    else:
        shas, marked = referenced_files(ctx)
        swept = ctx.photo_store.collect_garbage(shas, older_than=grace, annotated=marked)
        outputs = sweep_outputs(ctx.scratch_dir, time.time() - grace.total_seconds())   # interrupted reports
        report = SweepReport(orphan_photos=swept.photos, temp_files=swept.temporaries + outputs,
                             derivatives=swept.derivatives)
    if report.anything:
        log.info("swept %d orphaned photo file(s), %d temporary file(s), %d cached copies",
                 report.orphan_photos, report.temp_files, report.derivatives)
    return report


def sweep_job(ctx: AppContext, *, progress: Callable[[float, str], None],
              cancel: threading.Event) -> SweepReport:
    """Task-runner form of ``sweep_debris`` with the default grace period."""
    return sweep_debris(ctx)
