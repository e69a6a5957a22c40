"""An edit made on a copy another program has changed since is refused with a clear message, and the
newer data is shown instead of being written over (issue 14: versioned rows)."""

from __future__ import annotations

import pytest

from homeassess.domain.errors import ConflictError
from homeassess.services import clients as C
from homeassess.services.context import open_context


def test_the_service_refuses_an_edit_made_on_an_old_version(fixture_ctx) -> None:
    detail, _ = C.create_client(fixture_ctx, given_name="Vera", family_name="Version")
    newer, _ = C.update_client(fixture_ctx, detail.id, expected_version=detail.version, phone="0100")
    assert newer.version == detail.version + 1
    with pytest.raises(ConflictError, match="changed by another program"):
        C.update_client(fixture_ctx, detail.id, expected_version=detail.version, phone="0999")
    assert C.get_client(fixture_ctx, detail.id).phone == "0100"


def test_the_client_editor_shows_the_newer_record_instead_of_overwriting_it(window, qtbot) -> None:
    ctx = window.session.ctx
    detail, _ = C.create_client(ctx, given_name="Vera", family_name="Version", phone="0100")
    window.show_client(detail.id)
    editor = window.editor
    # Another program (the command line, another laptop's copy) changes the same client meanwhile.
    other = open_context(ctx.data_dir, registry=ctx.registry, clock=ctx.clock)
    C.update_client(other, detail.id, phone="0200")
    editor.texts["phone"].widget.setText("0300")
    editor.texts["phone"].flush()
    assert C.get_client(ctx, detail.id).phone == "0200"          # the newer value is kept
    assert editor.texts["phone"].widget.text() == "0200"         # and shown
    assert "changed by another program" in editor.message.text()
    editor.texts["phone"].widget.setText("0300")                  # typed again, on the newer copy, it saves
    editor.texts["phone"].flush()
    assert C.get_client(ctx, detail.id).phone == "0300"
