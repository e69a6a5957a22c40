"""Photos from files to reports: CLI import with a bad file in the batch, mark-up, and no
metadata in anything that leaves the app (stored files and images inside the PDFs)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from homeassess.services import assessments as A
from homeassess.services import photos as P
from homeassess.services import recommendations as R
from homeassess.services.context import AppContext
from homeassess.services.demo import create_demo
from homeassess.services.reports import generate_report
from tests.photo_helpers import all_shared_photos, has_metadata, make_jpeg, pixels

pytestmark = pytest.mark.e2e


def pdf_images(path: Path) -> list[bytes]:
    return [image.data for page in PdfReader(path).pages for image in page.images]


def test_cli_photos_add_imports_good_files_and_names_bad_ones(tmp_path: Path) -> None:
    data = tmp_path / "data"
    run = [sys.executable, "-m", "homeassess", "--data-dir", str(data)]
    assessment_id = subprocess.run([*run, "demo"], capture_output=True, text=True, check=True).stdout.split()[-1]
    good = make_jpeg(tmp_path / "step.jpg", (1200, 900), gps=True)
    (tmp_path / "broken.jpg").write_text("not a photo")
    result = subprocess.run([*run, "photos", "add", assessment_id[:8], "front entrance", str(good),
                             str(tmp_path / "broken.jpg")], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: broken.jpg: not an image, or a format HomeAssess cannot read"
    assert "step.jpg\tFront entrance" in result.stdout
    missing_room = subprocess.run([*run, "photos", "add", assessment_id, "Attic", str(good)],
                                  capture_output=True, text=True)
    assert missing_room.returncode == 1 and "no single room 'Attic'" in missing_room.stderr


def test_annotated_photo_appears_beside_its_finding_in_the_family_report(ctx: AppContext, tmp_path: Path) -> None:
    assessment_id = create_demo(ctx)
    finding = next(f for f in R.list_findings(ctx, assessment_id) if f.item_id == "bathroom.bath_transfer")
    photo_file = make_jpeg(tmp_path / "bath.jpg", (3000, 2000), gps=True, colour="#ffffff")
    stored = ctx.photo_store.ingest(photo_file)
    [view], _ = P.attach_photos(ctx, finding.room_id, [stored], item_id=finding.item_id)
    P.set_caption(ctx, view.id, "Bath rim 500 mm; no rail on the tap end")
    P.set_annotations(ctx, view.id, [
        {"kind": "ellipse", "points": [[0.3, 0.3], [0.7, 0.7]], "colour": "#00ff00", "width": 0.02},
        {"kind": "measure", "points": [[0.1, 0.9], [0.9, 0.9]], "text": "rim 500 mm"}])
    out = generate_report(ctx, assessment_id, "family", tmp_path / "family.pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Bath rim 500 mm; no rail on the tap end" in text
    [image_bytes] = pdf_images(out)
    image = Image.open(io.BytesIO(image_bytes)).convert("RGB")
    assert max(image.size) <= 600, "embedded at the resolution the page needs"
    greens = sum(1 for r, g, b in pixels(image) if g > 200 and r < 80 and b < 80)
    assert greens > 100, "the mark-up is drawn on the embedded photo"
    assert not has_metadata(image_bytes)


def test_clinical_report_has_every_photo_and_no_metadata_from_any_test_photo(ctx: AppContext, tmp_path: Path) -> None:
    sources = all_shared_photos()
    if not sources:
        pytest.skip("shared test photos not available (expects ../shared/testdata/photos beside the repo)")
    assessment_id = create_demo(ctx)
    room = A.list_rooms(ctx, assessment_id)[0]
    views, errors = P.add_photos(ctx, assessment_id, room.name, sources)
    assert [e.filename for e in errors] == ["truncated_reconyx.jpg"]
    for view in views:
        assert not has_metadata(ctx.photo_store.path_for(view.sha256).read_bytes())
    out = generate_report(ctx, assessment_id, "clinical", tmp_path / "clinical.pdf")
    images = pdf_images(out)
    assert len(images) == len(views)
    for data in images:
        assert not has_metadata(data)
    raw = out.read_bytes()
    assert b"Exif\x00\x00" not in raw and b"GPS" not in raw
    assert out.stat().st_size < 0.25 * 1024 * 1024 * len(views)
