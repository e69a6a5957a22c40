"""Child process for the worker-exit test: starts the photo worker pool ("starting": killed before
the workers are ready; "idle"; "busy": decoding), prints the workers' pids, waits for SIGKILL."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from PIL import Image

from homeassess.storage.photos import PhotoStore, warm_up, worker_pool


def main(mode: str, folder: Path) -> None:
    if mode == "starting":
        worker_pool().submit(int, 0)  # spawns a worker; it is still importing when the app dies
    else:
        warm_up()
    if mode == "busy":
        # Noise does not compress and PNG cannot be decoded at reduced size: seconds of work each.
        source = folder / "noise.png"
        Image.effect_noise((6000, 4500), 64).convert("RGB").save(source, compress_level=1)
        store = PhotoStore(folder / "photos", folder / "cache")
        threading.Thread(target=store.ingest_many, args=([source] * 6,), daemon=True).start()
        time.sleep(0.5)
    print(" ".join(str(p.pid) for p in worker_pool()._processes.values()), flush=True)
    time.sleep(600)


if __name__ == "__main__":  # spawned workers import this file as __mp_main__
    main(sys.argv[1], Path(sys.argv[2]))
