"""GAS T-score (REFERENCE §6.1 worked examples), FES-I bands and the recommendation lifecycle."""

from __future__ import annotations

from datetime import date

import pytest

from homeassess.domain.errors import ConflictError, ValidationError
from homeassess.domain.lifecycle import MOVES, Status, check_move
from homeassess.domain.outcomes import fes_i_concern, gas_t_score


@pytest.mark.parametrize(("levels", "weights", "expected"), [
    ((1, 0, -1), None, 50.0),
    ((0, 1, 1), None, 59.13),
    ((-1, 0, 1), (2, 1, 1), 46.67),
])
def test_gas_worked_examples(levels: tuple[int, ...], weights: tuple[int, ...] | None, expected: float) -> None:
    assert round(gas_t_score(levels, weights), 2) == expected


def test_gas_equal_weights_formula_and_extremes() -> None:
    n, total = 4, 3
    assert gas_t_score((1, 1, 1, 0)) == pytest.approx(50 + 10 * total / (0.7 * n + 0.3 * n * n) ** 0.5)
    assert gas_t_score((0,)) == 50.0
    assert gas_t_score((2,)) == pytest.approx(70.0)  # one goal: SD of 10 per level
    assert gas_t_score((-1, -1, -1)) < 50 < gas_t_score((1, 1, 1))


@pytest.mark.parametrize("bad", [dict(levels=()), dict(levels=(3,)), dict(levels=(1,), weights=(0,)),
                                 dict(levels=(1, 0), weights=(1,)), dict(levels=(1,), rho=1.0)])
def test_gas_refuses_nonsense(bad: dict) -> None:
    with pytest.raises(ValueError):
        gas_t_score(**bad)


@pytest.mark.parametrize(("total", "band"), [(16, "low concern"), (19, "low concern"), (20, "moderate concern"),
                                             (27, "moderate concern"), (28, "high concern"), (64, "high concern")])
def test_fes_i_bands(total: int, band: str) -> None:
    assert fes_i_concern(total) == band


def test_fes_i_out_of_range() -> None:
    with pytest.raises(ValidationError):
        fes_i_concern(15)


TODAY, VISIT = date(2026, 6, 1), date(2026, 3, 1)


def move(old: Status, new: Status, why: str = "", on: date = TODAY) -> None:
    check_move(old, new, why=why, on=on, today=TODAY, visit_date=VISIT)


@pytest.mark.parametrize(("old", "new"), [
    (Status.PROPOSED, Status.AGREED), (Status.PROPOSED, Status.DECLINED), (Status.AGREED, Status.ORDERED),
    (Status.ORDERED, Status.INSTALLED), (Status.INSTALLED, Status.IN_USE), (Status.IN_USE, Status.NOT_USED),
    (Status.NOT_USED, Status.IN_USE), (Status.INSTALLED, Status.REMOVED), (Status.AGREED, Status.INSTALLED),
    (Status.ORDERED, Status.AGREED), (Status.DECLINED, Status.AGREED)])
def test_allowed_moves(old: Status, new: Status) -> None:
    move(old, new, why="reason")


@pytest.mark.parametrize(("old", "new", "message"), [
    (Status.PROPOSED, Status.INSTALLED, "A recommendation that is proposed cannot become installed; from proposed "
                                        "it can become: agreed, declined."),
    (Status.PROPOSED, Status.ORDERED, "cannot become ordered"),
    (Status.DECLINED, Status.ORDERED, "cannot become ordered"),
    (Status.REMOVED, Status.IN_USE, "it can become: nothing"),
    (Status.IN_USE, Status.ORDERED, "cannot become ordered"),
    (Status.AGREED, Status.AGREED, "already agreed"),
])
def test_illegal_moves_are_refused_with_a_clear_message(old: Status, new: Status, message: str) -> None:
    with pytest.raises(ConflictError, match=message.replace("(", r"\(")):
        move(old, new, why="x")


def test_reasons_and_dates_are_checked() -> None:
    with pytest.raises(ValidationError, match="Say why it is not used"):
        move(Status.IN_USE, Status.NOT_USED)
    with pytest.raises(ValidationError, match="future"):
        move(Status.AGREED, Status.ORDERED, on=date(2026, 7, 1))
    with pytest.raises(ValidationError, match="before the visit"):
        move(Status.AGREED, Status.ORDERED, on=date(2026, 2, 1))


def test_every_status_has_its_moves_listed() -> None:
    assert set(MOVES) == set(Status)
