"""Settings (typed, validated, held once), visits that take them, duplicate clients, archive — services and CLI.
The tests taking ``any_fixture_ctx`` run on the SQLite file and on a PostgreSQL team server."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from homeassess.domain.errors import ValidationError
from homeassess.services import assessments as A
from homeassess.services import clients as C
from homeassess.services import settings as S
from homeassess.services.context import AppContext


def png(path: Path) -> Path:
    Image.new("RGB", (40, 20), "navy").save(path)
    return path


def test_unset_settings_have_their_defaults(fixture_ctx: AppContext) -> None:
    settings = S.get_settings(fixture_ctx)
    assert settings["therapist.profession"] == "Occupational Therapist"
    assert (settings["defaults.standard"], settings["defaults.units"], settings["defaults.paper"]) == ("UK", "metric", "A4")
    assert not settings.country_chosen


def test_values_are_validated_and_normalised(any_fixture_ctx: AppContext, tmp_path: Path) -> None:
    assert S.set_setting(any_fixture_ctx, "therapist.email", " sam.patel@nhs.net ")[0] == "sam.patel@nhs.net"
    assert S.set_setting(any_fixture_ctx, "defaults.paper", "letter")[0] == "Letter"
    assert S.set_setting(any_fixture_ctx, "defaults.standard", "au")[0] == "AU"
    assert S.set_setting(any_fixture_ctx, "therapist.phone", "+44 (0)20 7946 0958")[0] == "+44 (0)20 7946 0958"
    for key, value, words in (("therapist.email", "sam at nhs", "not an email"),
                              ("organisation.email", "a@b", "not an email"),
                              ("defaults.standard", "FR", "US, UK, AU"),
                              ("defaults.units", "cubits", "metric, imperial"),
                              ("defaults.paper", "A5", "A4, Letter"),
                              ("therapist.phone", "call me", "digits"),
                              ("therapist.name", "x" * 201, "too long"),
                              ("no.such.key", "x", "not a setting")):
        with pytest.raises(ValidationError, match=words):
            S.set_setting(any_fixture_ctx, key, value)
    settings = S.get_settings(any_fixture_ctx)
    assert settings["therapist.email"] == "sam.patel@nhs.net" and settings["defaults.standard"] == "AU"


def test_images_must_exist_and_open(fixture_ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no image file"):
        S.set_setting(fixture_ctx, "organisation.logo", str(tmp_path / "missing.png"))
    fake = tmp_path / "logo.png"
    fake.write_text("not really a picture", encoding="utf-8")
    with pytest.raises(ValidationError, match="not an image"):
        S.set_setting(fixture_ctx, "organisation.logo", str(fake))
    logo = png(tmp_path / "real logo.png")
    assert S.set_setting(fixture_ctx, "organisation.logo", str(logo))[0] == str(logo.resolve())
    assert S.set_setting(fixture_ctx, "organisation.logo", "")[0] == ""  # empty clears


@pytest.mark.parametrize(("country", "expected"), [("UK", ("UK", "metric", "A4")), ("US", ("US", "imperial", "Letter")),
                                                    ("AU", ("AU", "metric", "A4"))])
def test_country_sets_the_defaults(fixture_ctx: AppContext, country: str, expected: tuple[str, str, str]) -> None:
    settings, _ = S.apply_country(fixture_ctx, country)
    assert (settings["defaults.standard"], settings["defaults.units"], settings["defaults.paper"]) == expected
    assert settings.country_chosen
    with pytest.raises(ValidationError):
        S.apply_country(fixture_ctx, "FR")


def test_a_new_visit_takes_the_defaults_unless_told_otherwise(any_fixture_ctx: AppContext) -> None:
    S.apply_country(any_fixture_ctx, "US")
    S.set_setting(any_fixture_ctx, "therapist.name", "Sam Patel")
    S.set_setting(any_fixture_ctx, "therapist.registration", "OT61234")
    S.set_setting(any_fixture_ctx, "organisation.name", "Community OT")
    client, _ = C.create_client(any_fixture_ctx, given_name="Zoë", family_name="Ångström-Nuñez",
                                identifiers={"NHS number": "943 476 5919"})
    view, _ = A.create_assessment(any_fixture_ctx, client.id)
    assert (view.standard, view.units) == ("US", "imperial")
    assert (view.therapist_name, view.therapist_registration, view.organisation) == ("Sam Patel", "OT61234", "Community OT")
    S.apply_country(any_fixture_ctx, "UK")
    uk, _ = A.create_assessment(any_fixture_ctx, client.id)
    assert (uk.standard, uk.units) == ("UK", "metric")
    own, _ = A.create_assessment(any_fixture_ctx, client.id, standard="AU", therapist_name="Jo Bloggs")
    assert (own.standard, own.therapist_name) == ("AU", "Jo Bloggs")


def test_reports_name_the_therapist_from_settings_when_the_visit_does_not(any_fixture_ctx: AppContext) -> None:
    from homeassess.services.reports import build_report_model

    client, _ = C.create_client(any_fixture_ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    visit, _ = A.create_assessment(any_fixture_ctx, client.id)
    S.set_setting(any_fixture_ctx, "therapist.name", "Sam Patel")
    S.set_setting(any_fixture_ctx, "therapist.registration", "OT61234")
    S.set_setting(any_fixture_ctx, "organisation.name", "Community OT")
    cover = {f.label: f.value for f in build_report_model(any_fixture_ctx, visit.id, "clinical").cover}
    assert cover["Therapist"] == "Sam Patel, Occupational Therapist (registration OT61234)"
    assert cover["Organisation"] == "Community OT"
    contact = {f.label: f.value for f in build_report_model(any_fixture_ctx, visit.id, "family").contact}
    assert contact["Your therapist"] == cover["Therapist"] and contact["Service"] == "Community OT"
    A.update_assessment(any_fixture_ctx, visit.id, therapist_name="Jo Bloggs", therapist_registration="",
                        organisation="Riverside Rehab")
    cover = {f.label: f.value for f in build_report_model(any_fixture_ctx, visit.id, "clinical").cover}
    assert cover["Therapist"] == "Jo Bloggs, Occupational Therapist"
    assert cover["Organisation"] == "Riverside Rehab"


def test_same_name_and_birth_date_asks_before_a_second_client(any_fixture_ctx: AppContext) -> None:
    first, _ = C.create_client(any_fixture_ctx, given_name="Zoë", family_name="Ångström-Nuñez",
                               date_of_birth=date(1946, 5, 2))
    with pytest.raises(C.DuplicateClientError) as caught:
        C.create_client(any_fixture_ctx, given_name=" zoë ", family_name="ÅNGSTRÖM-NUÑEZ",
                        date_of_birth=date(1946, 5, 2))
    assert str(caught.value) == "A client named Zoë Ångström-Nuñez born 02/05/1946 already exists. Create another?"
    assert caught.value.existing.id == first.id
    with pytest.raises(C.DuplicateClientError):   # a name alone (the editor creates on the name) matches too
        C.create_client(any_fixture_ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    C.create_client(any_fixture_ctx, given_name="Zoë", family_name="Ångström-Nuñez", date_of_birth=date(1950, 1, 1))
    C.create_client(any_fixture_ctx, given_name="Zoë", family_name="Ångström-Nuñez", date_of_birth=date(1946, 5, 2),
                    allow_duplicate=True)
    assert len(C.list_clients(any_fixture_ctx)) == 3


def test_a_deleted_client_is_no_duplicate(any_fixture_ctx: AppContext) -> None:
    first, _ = C.create_client(any_fixture_ctx, given_name="Łukasz", family_name="Wróbel")
    C.delete_client(any_fixture_ctx, first.id)
    C.create_client(any_fixture_ctx, given_name="Łukasz", family_name="Wróbel")
    assert len(C.list_clients(any_fixture_ctx)) == 1


def test_archived_clients_and_visits_are_hidden_until_asked_for(any_fixture_ctx: AppContext) -> None:
    client, _ = C.create_client(any_fixture_ctx, given_name="Zoë", family_name="Ångström-Nuñez")
    visit, _ = A.create_assessment(any_fixture_ctx, client.id)
    C.archive_client(any_fixture_ctx, client.id)
    assert C.list_clients(any_fixture_ctx) == []
    assert [c.id for c in C.list_clients(any_fixture_ctx, include_archived=True)] == [client.id]
    assert C.archived_clients(any_fixture_ctx) == {client.id}
    C.archive_client(any_fixture_ctx, client.id, restore=True)
    assert [c.id for c in C.list_clients(any_fixture_ctx)] == [client.id]
    A.archive_assessment(any_fixture_ctx, visit.id)
    assert A.archived_assessments(any_fixture_ctx) == {visit.id}
    A.archive_assessment(any_fixture_ctx, visit.id, restore=True)
    assert A.archived_assessments(any_fixture_ctx) == set()


def test_last_and_recent_visits(any_fixture_ctx: AppContext) -> None:
    assert S.last_visit_id(any_fixture_ctx) is None
    for n in range(10):
        S.remember_visit(any_fixture_ctx, f"visit-{n}")
    S.remember_visit(any_fixture_ctx, "visit-3")
    assert S.last_visit_id(any_fixture_ctx) == "visit-3"
    assert S.recent_visit_ids(any_fixture_ctx)[:3] == ["visit-3", "visit-9", "visit-8"]
    assert len(S.recent_visit_ids(any_fixture_ctx)) == S.RECENT_LIMIT


# -- command line --------------------------------------------------------------------------
def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HOMEASSESS_DATA_DIR"}
    return subprocess.run([sys.executable, "-m", "homeassess", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_settings_show_and_set(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shown = cli(data, "settings", "show")
    assert shown.returncode == 0, shown.stderr
    rows = dict(line.split("\t") for line in shown.stdout.splitlines())
    assert list(rows) == list(S.KEYS) and rows["defaults.standard"] == "UK"
    changed = cli(data, "settings", "set", "therapist.name", "Zoë Ångström-Nuñez")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.strip() == "therapist.name\tZoë Ångström-Nuñez"
    assert cli(data, "settings", "set", "defaults.paper", "letter").stdout.strip() == "defaults.paper\tLetter"
    bad = cli(data, "settings", "set", "therapist.email", "not-an-email")
    assert bad.returncode == 1 and bad.stderr.startswith("error: therapist.email:") and len(bad.stderr.splitlines()) == 1
    unknown = cli(data, "settings", "set", "therapist.shoe_size", "9")
    assert unknown.returncode == 1 and "not a setting" in unknown.stderr
    assert cli(data, "settings", "set", "therapist.name").returncode == 2   # wrong usage
    rows = dict(line.split("\t") for line in cli(data, "settings", "show").stdout.splitlines())
    assert rows["therapist.name"] == "Zoë Ångström-Nuñez" and rows["defaults.paper"] == "Letter"
    assert rows["therapist.email"] == ""


def test_reports_follow_the_paper_size_and_carry_the_organisation_and_logo(ctx: AppContext, tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    from homeassess.services.demo import create_demo
    from homeassess.reports.pdf import render_pdf
    from homeassess.services.reports import build_report_model

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), "navy").save(logo)
    S.set_setting(ctx, "organisation.logo", str(logo))
    S.set_setting(ctx, "defaults.paper", "Letter")
    visit = create_demo(ctx)
    model = build_report_model(ctx, visit, "family")
    assert model.letterhead.paper == "Letter" and model.letterhead.logo_path == str(logo)
    assert model.letterhead.organisation                      # the demo visit's organisation
    render_pdf(model, tmp_path / "family.pdf")
    page = PdfReader(str(tmp_path / "family.pdf")).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)
    assert model.letterhead.organisation in page.extract_text()
