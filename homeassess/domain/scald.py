"""How fast hot water burns: the one source for scald times in reasons (REFERENCE §3.9).

Time to a full-thickness burn of adult skin (Moritz & Henriques 1947); children's and older
people's thinner skin burns in about half the time.
"""

from __future__ import annotations

# (°C, seconds) from REFERENCE §3.9, coolest first.
ADULT_BURN_SECONDS = ((49, 300.0), (51, 180.0), (53, 60.0), (54, 30.0), (56, 15.0), (60, 5.0), (64, 2.0),
                      (66, 1.5), (68, 1.0), (71, 0.5))


def burn_seconds(temp_c: float, *, thin_skin: bool = False) -> float | None:
    """Seconds to a full-thickness burn at this temperature (the nearest tabulated value at or below it);
    None below 49 °C, where the table does not go."""
    seconds = None
    for limit, secs in ADULT_BURN_SECONDS:
        if temp_c >= limit:
            seconds = secs
    if seconds is None:
        return None
    return seconds / 2 if thin_skin else seconds


def burn_time_text(temp_c: float, *, thin_skin: bool = False) -> str:
    """Plain words for a family: "about 5 seconds", "about a minute", "several minutes"."""
    seconds = burn_seconds(temp_c, thin_skin=thin_skin)
    if seconds is None:
        return "several minutes"
    if seconds < 1:
        return "less than a second"
    if seconds < 60:
        return "about a second" if seconds < 1.5 else f"about {seconds:.0f} seconds"
    minutes = seconds / 60
    return "about a minute" if minutes < 1.5 else f"about {minutes:.0f} minutes"
