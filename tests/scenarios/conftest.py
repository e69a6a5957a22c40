"""Scenario tests run each file in tests/scenarios/data through the real services on a fresh data folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from homeassess.services.context import AppContext
from homeassess.services.scenario import load_scenario, run_scenario
from tests.scenarios.helpers import Expectations, Outcome

DATA = Path(__file__).parent / "data"


def scenario_path(stem: str) -> Path:
    matches = sorted(DATA.glob(f"{stem}_*.toml"))
    assert len(matches) == 1, f"expected one scenario file for {stem}, found {matches}"
    return matches[0]


@pytest.fixture
def case(ctx: AppContext) -> Callable[[str], Expectations]:
    """``case("s01")`` runs that scenario file and returns its expectations to check."""

    def run(stem: str) -> Expectations:
        path = scenario_path(stem)
        result = run_scenario(ctx, load_scenario(path, ctx.registry))
        return Expectations(path.stem, Outcome(path.stem, result))

    return run
