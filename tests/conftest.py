"""Shared fixtures. Qt must be told to run offscreen before anything imports it."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from homeassess.checklists.registry import Registry  # noqa: E402
from homeassess.services.context import AppContext, Clock, open_context  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXED_NOW = datetime(2026, 3, 10, 10, 30)


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()


@pytest.fixture(scope="session")
def fixture_registry() -> Registry:
    good = FIXTURES / "checklists" / "good"
    return Registry.load([good / "demo_room.v1.toml"], [good / "demo.v1.toml"])


@pytest.fixture
def clock() -> Clock:
    return Clock(now=lambda: FIXED_NOW)


@pytest.fixture
def ctx(tmp_path: Path, registry: Registry, clock: Clock) -> AppContext:
    return open_context(tmp_path / "data", registry=registry, clock=clock)


@pytest.fixture
def fixture_ctx(tmp_path: Path, fixture_registry: Registry, clock: Clock) -> AppContext:
    return open_context(tmp_path / "data", registry=fixture_registry, clock=clock)


def older_dob() -> date:
    return date(1946, 5, 2)
