"""Clinical acceptance scenarios (shared/domain/SCENARIOS.md), one test per case, checked by meaning.

Each test runs its file from tests/scenarios/data through the real services and checks every must and
must-not that today's checklists and client fields can express; the ones they cannot are listed in
docs/scenarios.md ("Not yet expressible") and in the file's comments. Recommendations are found by
purpose (template ids of the recommendation and its options, or plain keywords), never by exact prose.
Every unmet expectation of a case is reported together, each as "OT expected …; engine produced …".

Tests S13 onwards are our own cases: other clients a senior OT would expect the engine to handle.
"""

from __future__ import annotations

from collections.abc import Callable

import re

from tests.scenarios.helpers import (
    ALL_PARTS, CLIENT_FELL, COSTLY_CATEGORIES, FAMILY_PARTS, HIP_WORDING, LIVES_ALONE, Expectations, chosen,
    numbers, short, text_of,
)

Case = Callable[[str], Expectations]
EYESIGHT = r"eyesight|\bvision\b|\bsee\b|\bseen\b|\bseeing\b|\bsight\b|glaucoma|\beyes?\b"
ANY_FALL = r"\bfall(s|ing|en)?\b|\bfell\b"
SEAT_RAISE = ("raised_seat",)
TOILET_SUPPORT = ("toilet.raised_seat", "toilet.frame")
DOOR_GAIN = ("offset_hinges", "swing_clear", "remove_door")
WIDENING = ("widen_door", "widen_doorway")
CALL_FOR_HELP = ("pendant", "carry_phone", "call_help", "phone_reach", "phone_by_bed", "fall_detector")
CALL_WORDS = r"pendant|personal alarm|fall detect|call for help|(carry|keep) (a|your) (mobile )?phone"
STAIR_ALTERNATIVE = ("stairlift", "live_downstairs", "through_floor", "downstairs_bedroom")
STAIR_ALT_WORDS = r"stair ?lift|through[- ]floor|downstairs"
WEIGHT_BEARING = ("shower_seat", "bath_board", "tub_transfer_bench", "toilet.frame", "raised_seat", "grab_rail",
                  "commode", "bed_raisers", "adjustable_bed", "perching_stool", "chair_raisers", "riser_chair")
WEIGHT_BEARING_WORDS = (r"\b(rollator|walker|shower (chair|stool|seat)|stool|transfer bench|bath board|toilet frame|"
                        r"raised (toilet )?seat|commode|grab (bar|rail)s?|hoist|bed)\b")


def first(recs: list) -> object | None:
    return recs[0] if recs else None


def test_s01_stroke_left_weakness(case: Case) -> None:
    c = case("s01")
    o = c.outcome
    tmv = c.present("must 1", "a thermostatic mixing valve at the outlet",
                    o.find("tmv", words=r"thermostatic|mixing valve", parts=("title",)), "P1")
    c.says("must 1", first(tmv), r"feel|sensation|numb", "his reduced feeling (he cannot judge how hot the water is)")
    second = c.present("must 2", "a second stair rail", o.find("second_rail", words=r"second (stair )?(hand)?rail",
                                                               parts=("title",)), "P1-P2")
    c.says("must 2", first(second), r"\bright hand\b[^.]*stronger|stronger[^.]*\bright\b",
           "his right hand as the stronger side", parts=FAMILY_PARTS)
    c.says("must 2", first(second), r"going up and coming down|both ways", "a rail for his right hand both ways",
           parts=FAMILY_PARTS)
    rails = c.present("must 3", "grab rail(s) at the shower entry",
                      o.find("bathroom.grab_rails", words=r"grab rails? at the (bath|shower)", parts=("title",)),
                      "P1-P2")
    c.says("must 3", first(rails), CLIENT_FELL.pattern, "his fall")
    c.says("must 3", first(rails), r"\bright hand\b[^.]*stronger|stronger[^.]*\bright\b",
           "his right (stronger) hand", parts=FAMILY_PARTS)
    seat = c.present("must 4", "seated showering on a shower chair or stool",
                     o.find("shower_seat", words=r"shower (chair|stool)|sitting down", parts=("title",)), "P2-P3")
    c.says("must 4", first(seat), r"\b460 ?mm|\b18(\.1)? ?in", "a seat set to about his knee height, 460 mm",
           parts=("title", "family_text", "choice_reason", "options", "sizing"))
    c.present("must 5", "a raised toilet seat (a toilet frame as well or instead is fine)", o.find(*TOILET_SUPPORT),
              "P2-P3")
    c.sizing_numbers("must 5", first(o.find(*SEAT_RAISE)), [460, 400, 60, 50],
                     "460 − 400 = 60 mm, so the nearest standard seat is 50 mm (about 450 mm)", unwanted=[100])
    c.no_wording("must 5", r"\bhip", "hip-precaution margin in any sizing (he has no precautions)", parts=("sizing",))
    c.no_wording("must not", HIP_WORDING, "wording about hip precautions")
    c.absent("must not", "hip kit or hip education", o.find("hip_kit", "hip_precautions"))
    c.no_wording("must not", r"\bleft (hand|side|arm)\b", "rail placed or described for the left hand")
    c.absent("must not", "advice to turn the hot-water cylinder down as the fix",
             o.find("water_heater", words=r"\bturn(ing)? (it |the \w+ (heater |cylinder )?)?down\b|"
                                          r"\blower(ing)? the (water )?(heater|cylinder|boiler|thermostat)"))
    c.at_most("must not", "P1", 3)
    c.not_at("must not", "stairlift or through-floor lift", o.find("stairlift", "through_floor",
                                                                   words=r"stair ?lift|through[- ]floor",
                                                                   parts=("title",)), ["P1", "P2"])
    c.no_wording("must not", LIVES_ALONE, "wording that he lives alone")
    c.verify()


def test_s02_bariatric_190kg(case: Case) -> None:
    c = case("s02")
    o = c.outcome
    rollator = c.present("must 1", "a bariatric rollator rated for at least 190 kg (419 lb)",
                         o.find("rated_aid", words=r"rated for your weight|bariatric (rollator|walker)",
                                parts=("title",)), "P1")
    c.says("must 1", first(rollator), r"\b419 ?lb\b", "his weight, 419 lb")
    c.says("must 1", first(rollator), r"\b300 ?lb\b", "the walker's 300 lb rating")
    c.says("must 5", first(rollator), r"no wider than 26 in\b", "the widest walker for the 30 in door: 26 in",
           parts=FAMILY_PARTS)
    c.says("must 5", first(rollator), r"swing-clear hinges[^.]*\b28 in\b", "up to 28 in with swing-clear hinges",
           parts=FAMILY_PARTS)
    bed = c.present("must 2", "a bariatric bed, or one whose rating is confirmed at 419 lb or more",
                    o.find("rated_equipment", words=r"rated load|bariatric bed", parts=("title",)), "P1-P2")
    c.says("must 2", first(bed), r"\bbed\b[^.]*\b330 ?lb\b", "the bed's 330 lb rating")
    c.says("must 2", first(bed), r"\b419 ?lb\b", "his weight, 419 lb")
    bench = c.present("must 3", "a bath transfer solution rated for his weight (bariatric tub transfer bench)",
                      o.find("bath_board", "tub_transfer_bench", words=r"transfer bench|bath board|bath lift",
                             parts=("title",)), "P1-P2")
    c.says("must 3", first(bench), r"bariatric|\b419 ?lb|\b190 ?kg",
           "a rating of at least 419 lb (190 kg)", parts=ALL_PARTS + ("sizing",))
    c.says("must 3", first(bench), r"hand-held shower", "the hand-held shower", parts=FAMILY_PARTS)
    for bar in o.find("grab_rail", words=r"grab (bar|rail)", parts=("title",)):
        c.says("must 3", bar, r"bariatric|\b419 ?lb|\b190 ?kg|heavy[- ]duty", "a rating for his weight",
               parts=ALL_PARTS)
        c.says("must 3", bar, r"stud|blocking|joist|reinforc|structur|solid (wall|fixing)",
               "fixing into studs or blocking", parts=ALL_PARTS)
    for item in o.find(*WEIGHT_BEARING, words=WEIGHT_BEARING_WORDS, parts=("title",)):
        c.says("must not", item, r"bariatric|\b419 ?lb|\b190 ?kg|heavy[- ]duty",
               "that it is rated for at least 190 kg (419 lb): nothing below his weight", parts=ALL_PARTS + ("sizing",))
    pan = c.present("must 4", "the wall-hung pan's rated load confirmed by the maker or a plumber",
                    o.find("confirm_pan_rating", words=r"wall-hung|rated load", room="Toilet (in the bathroom)",
                           parts=("title",)), "P1-P3")
    c.says("must 4", first(pan), r"your weight|\b419 ?lb\b", "his weight")
    c.says("must 4", first(pan), r"nobody knows|not known|unknown", "the unknown rating of the pan and carrier")
    c.says("must 4", first(pan), r"floor-standing|commode", "a floor-standing frame or commode until it is confirmed",
           parts=FAMILY_PARTS)
    interim = c.present("must 4", "a floor-standing bariatric toilet frame or over-toilet commode meanwhile",
                        o.find("bariatric_frame", words=r"bariatric toilet frame|over-toilet commode",
                               parts=("title",)), "P1-P3")
    c.says("must 4", first(interim), r"\b419 ?lb\b", "a rating of at least 419 lb", parts=ALL_PARTS)
    c.absent("must not", "raised toilet seat (the seat is already at his knee height)",
             o.find(*SEAT_RAISE, words=r"raised (toilet )?seat", parts=("title",)))
    c.no_metric_only("must not")
    c.no_wording("must not", r"obes|morbid|\bfat\b|overweight|\bbig\b|\blarge (man|person|client)",
                 "judgemental weight labels", parts=("title", "reason", "family_text"))
    c.at_most("must not", "P1", 3)
    c.verify()


def test_s03_copd_home_oxygen(case: Case) -> None:
    c = case("s03")
    o = c.outcome
    smoking = c.present("must 1", "no smoking anywhere in the home while oxygen is in use, with a sign",
                        o.find("oxygen_no_smoking", words=r"no smoking", parts=("title",)), "P1")
    c.says("must 1", first(smoking), r"oxygen", "home oxygen")
    c.says("must 1", first(smoking), r"fire|flame|burn", "the fire risk")
    c.says("must 1", first(smoking), r"someone (else )?smokes|husband|household", "the household's smoking")
    c.present("must 2", "no cooking over a gas flame while on oxygen (electric or induction instead)",
              o.find("oxygen_flames", words=r"induction|open flames?", parts=("title",)), "P1-P2")
    c.says("must 2", first(o.find("oxygen_flames")), r"flame", "the open flame near the oxygen")
    c.present("must 6", "telling the oxygen prescriber or respiratory team", o.find("oxygen_team",
              words=r"oxygen (prescriber|team)|respiratory team", parts=("title",)))
    for item in smoking:
        c.lower_tier("must 5", o.find(*STAIR_ALTERNATIVE, words=STAIR_ALT_WORDS, parts=("title",)), [item],
                     "the stair alternative in a lower tier than the smoking item")
    tubing = c.present("must 3", "tubing (the cord across the hallway) run along the walls and clipped away",
                       o.find("reroute_cables", words=r"tubing|cables?|cords?", parts=("title",)), "P1-P2")
    c.says("must 3", first(tubing), CLIENT_FELL.pattern, "her previous trip and fall")
    energy = c.present("must 4", "energy conservation (pacing, sitting for tasks, fewer stair trips)",
                       o.find("energy_conservation", words=r"\bpac(e|ing)\b|save energy|energy conservation",
                              parts=("title", "family_text")))
    c.says("must 4", first(energy), r"breath", "her breathlessness")
    c.present("must 4", "a perching stool in the kitchen", o.find("perching_stool", words=r"perching stool",
                                                                  parts=("title",)))
    c.present("must 4", "a shower seat", o.find("shower_seat", words=r"shower (chair|stool|seat)", parts=("title",)))
    c.present("must 5", "a longer-term stair alternative (stairlift or bedroom downstairs)",
              o.find(*STAIR_ALTERNATIVE, words=STAIR_ALT_WORDS, parts=("title",)), "P2-P4")
    c.no_wording("must not", r"\byou (smoke|are smoking)\b|\byour (smoking|cigarettes?)\b|\b(she|her) smok",
                 "wording that suggests she is the smoker")
    c.not_at("must not", "stairlift or bedroom move", o.find(*STAIR_ALTERNATIVE, words=STAIR_ALT_WORDS,
                                                             parts=("title",)), ["P1"])
    c.absent("must not", "thermostatic mixing valve or scald recommendation (48 °C is below the AU 50 °C limit)",
             o.find("tmv", "water_heater", words=r"scald|mixing valve", parts=("title", "reason")))
    c.at_most("must not", "P1", 3)
    c.verify()


def test_s04_transtibial_amputee(case: Case) -> None:
    c = case("s04")
    o = c.outcome
    night = c.present("must 1", "a night-time toileting plan without the prosthesis (urinal or commode by the bed)",
                      o.find("night_toileting_plan", "commode", words=r"urinal|commode|night-time toileting",
                             parts=("title",)), "P1-P2")
    c.says("must 1", first(night), r"prosthe|artificial leg|without (your|his) leg",
           "getting up without the prosthesis")
    c.says("must 1", first(night), CLIENT_FELL.pattern, "his fall")
    door = c.present("must 2", "swing-clear (offset) hinges at the bathroom door",
                     o.find(*DOOR_GAIN, words=r"swing-clear|offset hinge", room="Bathroom",
                            parts=("title", "options")), "P1-P2")
    c.sizing_numbers("must 2", first(door), [640, 740, 720, 20], "640 + 2 × 50 = 740 mm against the 720 mm door: "
                                                                "20 mm short")
    for rec in door:
        c.expect(not any(w in (chosen(rec) or "") for w in WIDENING), "must 2",
                 "swing-clear hinges offered before any widening", f"{short(rec)} preselects widening")
    widen = o.find(*WIDENING, words=r"\bwiden", parts=("title",))
    if door:
        c.expect(all(o.recs.index(w) > o.recs.index(door[0]) for w in widen if w is not door[0]), "must not",
                 "widening never listed before the hinges", ", ".join(short(w) for w in widen))
    c.expect(bool(door) or not widen, "must not", "widening never the only door option", ", ".join(map(short, widen)))
    bench = c.present("must 3", "a tub transfer bench with a hand-held shower (showering seated, no prosthesis)",
                      o.find("bath_board", "tub_transfer_bench", words=r"transfer bench", parts=("title", "options")),
                      "P1-P2")
    c.says("must 3", first(bench), r"transfer bench", "a tub transfer bench",
           parts=("title", "family_text", "options", "sizing"))
    c.says("must 3", first(bench), r"hand-held shower", "the hand-held shower", parts=FAMILY_PARTS)
    ramp = c.present("must 4", "the ramp worked out as too long, offering a platform/step lift or a switchback",
                     [r for r in o.find("entrance.ramp", "step_lift", "switchback", "platform_lift",
                                        words=r"\bramp\b|step lift|platform lift", room="Front entrance",
                                        parts=("title", "options")) if r.category != "referral"], "P2-P3")
    c.sizing_numbers("must 4", first(ramp), [540, 6480, 1525, 9530, 5000],
                     "540 mm × 12 = 6480 mm + 1525 mm landings top and bottom = 9530 mm against 5000 mm available")
    c.says("must 4", first(ramp), r"does not fit|too long|will not fit|won't fit", "that a straight ramp does not fit",
           parts=("sizing",))
    c.says("must 4", first(ramp), r"\blift\b|switchback", "a platform or step lift, or a switchback layout",
           parts=("title", "family_text", "options"))
    c.no_wording("must not", r"\bramp\b[^.]*\bfits\b|\bfits\b[^.]*\bramp\b", "family text saying the ramp fits",
                 parts=("title", "reason", "family_text", "choice_reason"))
    c.absent("must not", "a straight 1:12 ramp preselected",
             [r for r in ramp if (chosen(r) or "").endswith(".ramp") and "lift" not in r.title.lower()])
    c.no_wording("must not", r"\b1 ?: ?(1[01]|[1-9])\b", "ramp steeper than 1:12", parts=ALL_PARTS + ("sizing",))
    c.no_wording("must not", HIP_WORDING, "wording about hip precautions")
    c.at_most("must not", "P1", 3)
    c.verify()


def test_s05_knee_replacement_frame(case: Case) -> None:
    c = case("s05")
    o = c.outcome
    rugs = c.present("must 1", "removing the loose rugs", o.find("remove_rugs", words=r"loose rugs?",
                                                                 parts=("title",)), "P2-P3")
    c.says("must 1", first(rugs), r"frame|walker|walking aid", "his walking frame")
    c.first_in_tier("must 1", rugs, "free and quick: before anything that costs money or needs fitting",
                    before=COSTLY_CATEGORIES)
    c.present("must 2", "a raised toilet seat (a toilet frame as well is fine)", o.find(*TOILET_SUPPORT), "P2-P3")
    c.sizing_numbers("must 2", first(o.find(*SEAT_RAISE)), [520, 410, 110, 100],
                     "520 − 410 = 110 mm, so the nearest standard seat is 100 mm (about 510 mm)", unwanted=[150])
    c.no_wording("must 2", r"\bhip", "hip-precaution margin in any sizing (he has none)", parts=("sizing",))
    wc = c.present("must 3", "offset hinges or taking the WC door off for the 6 weeks",
                   o.find(*DOOR_GAIN, room="WC", parts=("title", "options"),
                          words=r"swing-clear|offset hinge|(take|taking|lift) the door off|remov\w* the door"), "P2-P3")
    c.sizing_numbers("must 3", first(wc), [560, 660, 630, 30],
                     "560 + 2 × 50 = 660 mm against the 630 mm door: 30 mm short")
    c.absent("must 3", "recommendation about the 740 mm bedroom door (it fits the frame)",
             o.find(*DOOR_GAIN, *WIDENING, words=r"\bdoor", room="Bedroom", parts=("title",)))
    bedroom_doors = o.sizings("door", room="Bedroom")
    c.expect(any("fits" in s and 740 in numbers(s) for s in bedroom_doors), "must 3",
             "the 740 mm bedroom door reported as fine for the 560 mm frame",
             "; ".join(bedroom_doors) or "no door sizing")
    bed = c.present("must 4", "raising the bed towards his 520 mm knee height",
                    o.find("bed_raisers", words=r"raise the bed|bed raisers?", parts=("title", "options")), "P2-P3")
    c.sizing_numbers("must 4", first(bed), [520, 460, 60], "520 − 460 = 60 mm, raisers of 50–75 mm",
                     unwanted=[100, 150])
    c.present("must 5", "a frame tray or kitchen trolley for hot drinks",
              o.find("kitchen.trolley", "walker_tray", words=r"trolley|tray", parts=("title",)), "P2-P3")
    c.no_wording("must not", HIP_WORDING, "wording about hip precautions anywhere", parts=ALL_PARTS)
    for reacher in o.find("reacher", words=r"reacher", parts=("title",)):
        c.says("must not", reacher, r"knee", "the knee (a reacher only for his knee)")
    c.absent("must not", "door widening or permanent building work for a 6-week need",
             o.find(*WIDENING, "level_shower", "lowered_worktop", "stairlift", "entrance.ramp",
                    words=r"\bwiden|building work", parts=("title",)))
    c.at_most("must not", "P1", 1)
    c.not_at("must not", "personal alarm", o.find("pendant", words=r"personal alarm|pendant", parts=("title",)),
             ["P1"])
    c.verify()


def test_s06_frail_repeated_falls(case: Case) -> None:
    c = case("s06")
    o = c.outcome
    alarms = o.find(*CALL_FOR_HELP, words=CALL_WORDS, parts=("title",))
    c.expect(len(alarms) == 1, "must 1", "exactly one recommendation for calling help after a fall",
             f"{len(alarms)}: " + (", ".join(map(short, alarms)) or "none"))
    alarm = first(c.present("must 1", "a monitored pendant or watch with automatic fall detection", alarms, "P1-P2"))
    c.says("must 1", alarm, r"fall detect|detects a fall", "automatic fall detection", parts=ALL_PARTS)
    c.says("must 1", alarm, r"\balone\b|on your own", "that she lives alone")
    c.says("must 1", alarm, CLIENT_FELL.pattern, "her falls")
    c.says("must 1", alarm, r"floor", "lying on the floor / not getting up")
    lights = c.present("must 2", "night lighting on the bedroom-to-toilet route",
                       o.find("night_light", words=r"night[- ]lights?|light the (way|route)", parts=("title",)),
                       "P1-P2")
    c.says("must 2", first(lights), CLIENT_FELL.pattern, "her falls")
    c.says("must 2", first(lights), r"twice|two times|\b2 times|more than once|several times",
           "that she gets up twice a night")
    c.present("must 3", "a falls service referral (falls clinic or strength and balance)",
              o.find("falls_service", "falls_referral", "strength_balance",
                     words=r"falls (service|clinic|prevention)|strength and balance", parts=("title",)), "P1-P3")
    c.present("must 4", "education and a plan for getting up from the floor",
              o.find("floor_recovery", words=r"get(ting)? up from the floor|floor recovery",
                     parts=("title", "family_text")))
    c.present("must 5", "a grab rail or toilet frame at the toilet",
              o.find("toilet.grab_rail", "toilet.frame", words=r"toilet frame|grab rail beside the toilet",
                     parts=("title",)), "P2-P3")
    mats = c.present("must 6", "removing the loose mats (kitchen sink, bathroom exit)",
                     o.find("kitchen.floor", "non_slip_mat", "remove_rugs", words=r"\bmats?\b", parts=("title",)),
                     "P2-P3")
    c.expect(any(r.room == "Kitchen" or "kitchen" in r.title.lower() for r in mats)
             and any(r.room == "Bathroom" or "bath" in r.title.lower() or "shower" in r.title.lower() for r in mats),
             "must 6", "both mats covered (kitchen sink and outside the shower)", ", ".join(map(short, mats)) or "none")
    # The loose cotton mat outside the shower has no item of its own yet (issue 11: loose mats in rooms that do not
    # ask), so it is entered as "no non-slip mat" and its answer is a purchase; the free removal comes first.
    c.first_in_tier("must 6", [r for r in mats if r.cost == "free"], "free and quick: first within their tier")
    c.p1_at_most_third("must not")
    c.absent("must not", "raised toilet seat (440 mm is within 20 mm of her 450 mm knee height)",
             o.find(*SEAT_RAISE, words=r"raised (toilet )?seat", parts=("title",)))
    c.no_wording("must not", r"memory|dementia|\bhips?\b|\bcarers?\b", "wording about memory, dementia, hips or carers")
    c.verify()


def test_s07_cerebral_palsy_hoist_wet_room(case: Case) -> None:
    c = case("s07")
    o = c.outcome
    hoist = c.present("must 1", "a hoist that covers every transfer (ceiling track, or a mobile hoist that fits)",
                      o.find("hoist_cover", words=r"\bhoist\b", parts=("title",)), "P1-P2")
    c.says("must 1", first(hoist), r"\bhoist\b", "that his transfers need a hoist")
    c.says("must 1", first(hoist), r"\b(2|two) (carers|people|helpers)\b", "the two carers every transfer needs")
    c.says("must 1", first(hoist), r"ceiling track", "a ceiling track hoist", parts=FAMILY_PARTS)
    shower = c.present("must 2", "a level-access shower (wet room) in place of the bath",
                       o.find("level_shower", words=r"level-access shower|wet room", parts=("title",)), "P1-P2")
    c.says("must 2", first(shower), r"washed in bed|bed bath", "that he can currently only be washed in bed")
    commode_chair = o.with_wording(r"shower[- ]commode|tilt[- ]in[- ]space", ALL_PARTS)
    c.expect(bool(commode_chair), "must 2", "a tilt-in-space shower-commode chair with the wet room",
             "no mention in any recommendation")
    c.absent("must not", "bath board, bath seat, bath lift or transfer bench as the washing solution",
             [r for r in o.recs
              if any(f in (chosen(r) or "") for f in ("bath_board", "tub_transfer_bench", "bath_lift"))
              or any(w in r.title.lower() for w in ("bath board", "bath seat", "bath lift", "transfer bench"))])
    turning = o.finding("bathroom.turning_circle")
    c.expect(any(1100 in numbers(f.measured_text) and 1500 in numbers(f.threshold_text) for f in turning), "must 3",
             "the 1100 mm clear circle compared with a 1500 mm turning circle",
             "; ".join(f"{f.measured_text} vs {f.threshold_text}" for f in turning) or "no turning-space finding")
    c.expect(any(re.search(r"cannot turn", f.reason) for f in turning), "must 3",
             "the finding to say the chair cannot turn in the room as it is",
             "; ".join(f"“{f.reason}”" for f in turning) or "no turning-space finding")
    c.present("must 3", "a bathroom design with a 1500 mm clear turning circle",
              o.find("turning_space", words=r"turning (circle|space)", parts=("title",)))
    c.says("must 3", first(o.find("turning_space")), r"1\.5 m|1500 ?mm", "the 1500 mm circle the design asks for",
           parts=ALL_PARTS)
    doors = o.sizings("door", room="Bathroom")
    c.expect(any("fits" in s and {800, 810} <= numbers(s) for s in doors), "must 4",
             "700 + 2 × 50 = 800 mm against the 810 mm door: it fits, and says so", "; ".join(doors) or "no sizing")
    c.absent("must 4", "change to the bathroom door (widening, offset hinges, rehanging)",
             o.find(*DOOR_GAIN, *WIDENING, "door_outward", words=r"\bdoor(way)?\b", room="Bathroom",
                    parts=("title", "options")))
    c.present("must 5", "a Disabled Facilities Grant referral",
              [r for r in o.find(words=r"Disabled Facilities Grant|\bDFG\b", parts=ALL_PARTS)
               if r.category == "referral"])
    c.no_wording("must not", ANY_FALL + r"|walking (aid|frame|stick)|\bstairs?\b",
                 "falls, walking-aid or stair wording")
    c.at_most("must not", "P1", 2)
    c.verify()


def test_s08_profound_hearing_loss(case: Case) -> None:
    c = case("s08")
    o = c.outcome
    strobe = c.present("must 1", "a visual and vibrating smoke-alarm system linked to the existing alarms",
                       o.find("strobe_alarm", words=r"(flashing|strobe|vibrating)[^.]*smoke alarm", parts=("title",)),
                       "P1")
    c.says("must 1", first(strobe), r"\bhear", "that she cannot hear the alarm")
    bell = c.present("must 2", "a visual doorbell (flashing light or vibrating video doorbell)",
                     o.find("hearing_alerts", "door_viewer", "visual_doorbell", words=r"doorbell", parts=("title",)),
                     "P2-P4")
    c.lower_tier("must 2", bell, strobe, "the doorbell in a lower tier than the smoke alarm")
    c.no_wording("must not", ANY_FALL, "fall wording (hearing loss is not a falls risk)")
    c.absent("must not", "fall-prevention items or alerting that needs hearing or speech (personal alarm, falls "
                         "referral, rails, night lights)",
             o.find("pendant", "falls_service", "falls_referral", "floor_recovery", "strength_balance", "second_rail",
                    "grab_rail", "night_light", words=r"pendant|personal alarm|call cent(re|er)", parts=("title",)))
    c.absent("must not", "stair-rail or room-lighting recommendations (recorded as satisfactory)",
             o.find("second_rail", "fix_rail", "graspable_rail", "stairs.lighting", "landing_light", "brighter_bulbs",
                    "task_lamp", "bedside_lamp", "under_cupboard", "motion_light", "sensor_light", "night_light",
                    "two_way_switch"))
    c.at_most("must not", "P1", 1)
    c.no_wording("must not", r"\bcarers?\b", "wording about carers")
    c.verify()


def test_s09_warehouse_lumbar_disc(case: Case) -> None:
    c = case("s09")
    o = c.outcome
    # His shoulder height is not recorded: storage is recorded against the knee-to-shoulder zone.
    aid = c.present("must 1", "a mechanical aid for the floor-level lifts (lift table, pallet positioner or vacuum "
                              "lifter)",
                    o.find("lift_table", "pallet_positioner", "vacuum_lifter", "lifting_aid",
                           words=r"lift table|pallet positioner|vacuum lift|lifting aid|mechanical (aid|lift)",
                           parts=ALL_PARTS), "P1-P2")
    c.says("must 1", first(o.find("lifting_aid", "lift_table", "pallet_positioner", "vacuum_lifter")),
           r"\bback injury\b|\b(lumbar|disc)\b", "his back injury")
    c.says("must 1", first(o.find("lifting_aid", "lift_table", "pallet_positioner", "vacuum_lifter")),
           r"\b240\b|\b30 (lifts )?an hour\b", "the number of floor-level lifts (about 240 a shift)")
    c.present("must 2", "storage re-slotted so heavy and frequently picked cartons sit between knee and shoulder height",
              o.find("reslot", words=r"re-?slot|between (your |his )?knee and shoulder", parts=("title",)), "P2-P3")
    handling = c.present("must 3", "a manual-handling risk assessment by the employer",
                         o.find("manual_handling", words=r"manual[- ]handling", parts=("title",)))
    c.expect(bool(o.with_wording(r"occupational health", ALL_PARTS)), "must 3", "an occupational health review",
             "no mention in any recommendation")
    c.present("must 4", "interim amended duties (rotation away from floor picks, two-person handling)",
              o.find("amended_duties", words=r"amended duties|light(er)? duties|\brotat|two-person|team lift",
                     parts=ALL_PARTS))
    c.no_wording("must not", r"\bat home\b|\byour home\b|\bin the home\b|\baround the house\b", "home wording")
    lifting = list({id(r): r for r in aid + handling}.values())
    for rec in lifting[:1]:
        c.says("must 5", rec, r"\bwork|\bjob|\bshift", "work wording (\"at work\", \"in your job\")",
               parts=("reason", "family_text"))
    c.absent("must not", "home rooms or home items (bathroom, bedroom, toilet seat, rails, personal alarm)",
             o.find("rec.bathroom", "rec.bedroom", "rec.toilet", "rec.kitchen", "rec.living_room", "rec.hallway",
                    "rec.stairs", "rec.entrance", "rec.whole_house", "pendant", "walker_tray", "floor_recovery"))
    c.no_wording("must not", ANY_FALL, "falls wording")
    c.no_wording("must not", r"spinal|precaution|surg", "spinal or post-surgical precaution wording")
    c.absent("must not", "office workstation items (chair, screen, desk, ROSA)",
             o.find("rec.workstation", words=r"\bdesk\b|\bscreen\b|\bROSA\b|office chair", parts=("title",)))
    c.present("must not", "the lifting item never below P2", aid, "P1-P2")
    c.verify()


def test_s10_child_cerebral_palsy_bathing(case: Case) -> None:
    c = case("s10")
    o = c.outcome
    seat = c.present("must 1", "a supportive bath seat for the child (trunk and head support)",
                     o.find("supportive_bath_seat", words=r"supportive bath seat|bath seat with", parts=("title",)),
                     "P1-P2")
    c.says("must 1", first(seat), r"your child", "the parents, about their child")
    c.says("must 1", first(seat), r"without support|cannot sit", "that she cannot sit without support")
    handling = c.present("must 2", "the parents' manual-handling risk at bath time, with interim advice",
                         o.find("carer_handling", words=r"your back|carer's back", parts=("title",)), "P1-P2")
    c.says("must 2", first(handling), r"kneel|lean|lift", "kneeling, leaning or lifting over the rim")
    c.says("must 2", first(handling), r"kneel\w* on a (thick )?pad|low stool", "a kneeling pad or low stool",
           parts=FAMILY_PARTS)
    c.says("must 2", first(handling), r"hand-held shower", "a hand-held shower", parts=FAMILY_PARTS)
    c.says("must 2", first(handling), r"twist", "not twisting", parts=FAMILY_PARTS)
    carrying = c.present("must 2", "the parents' carrying on the stairs, with interim advice",
                         o.find("safer_carrying", words=r"carry", room="Stairs", parts=("title",)), "P1-P2")
    c.says("must 2", first(carrying), r"\b16 ?kg\b", "her 16 kg")
    c.says("must 2", first(carrying), r"\b15 steps\b", "the 15 stairs")
    c.says("must 2", first(carrying), r"\b4 times a day\b", "about 4 times a day")
    c.says("must 2", first(carrying), r"\bstairs\b", "the stairs")
    c.says("must 2", first(carrying), r"your child", "the parents, about their child")
    c.says("must 2", first(carrying), r"twist", "not twisting", parts=FAMILY_PARTS)
    stairs_alt = o.find("live_downstairs", "through_floor", "downstairs_bedroom",
                        words=r"through[- ]floor|downstairs", parts=("title", "options"))
    c.expect(bool(seat) and all(r.tier > first(seat).tier for r in stairs_alt), "must 3",
             "the stair alternative in a lower tier than the bath seat", ", ".join(map(short, stairs_alt)) or "none")
    to_child = [r for r in o.recs if re.search(r"\byou (have|are|cannot|can't|find|need|feel|use)\b", r.reason)]
    c.expect(not to_child, "must 5", "every reason addressed to the parents, not to the child",
             "; ".join(f"“{r.reason}”" for r in to_child))
    c.present("must 3", "a long-term stair alternative (through-floor lift, or bedroom and bathroom "
                                "downstairs)",
                      o.find("live_downstairs", "through_floor", "downstairs_bedroom",
                             words=r"through[- ]floor|downstairs", parts=("title", "options")), "P3-P4")
    c.present("must 4", "NDIS named as the funding route", o.find(words=r"\bNDIS\b", parts=ALL_PARTS))
    c.absent("must not", "stairlift (she cannot sit unsupported or transfer)",
             o.find("stairlift", words=r"stair ?lift", parts=("title", "options")))
    c.absent("must not", "adult items (bath board, raised toilet seat, walking frame, personal alarm, hip kit)",
             o.find("bath_board", "tub_transfer_bench", "raised_seat", "walker_tray", "pendant", "hip_kit",
                    "hip_precautions", words=r"bath board|transfer bench|raised toilet seat|walking frame|"
                                            r"personal alarm|pendant", parts=("title",)))
    c.no_wording("must not", CLIENT_FELL, "falls-history wording")
    c.no_wording("must not", HIP_WORDING, "hip wording")
    c.at_most("must not", "P1", 2)
    c.verify()


def test_s11_mild_dementia_alone(case: Case) -> None:
    c = case("s11")
    o = c.outcome
    meds = c.present("must 1", "a medication reminder or automatic dispenser with a medication review",
                     o.find("medication", "dispenser", words=r"medic|tablet|pill|dispenser", parts=("title",)), "P1-P2")
    c.says("must 1", first(meds), r"dispenser|reminder|carousel|alarmed", "an alarmed dispenser or reminder",
           parts=("title", "family_text", "options"))
    c.says("must 1", first(meds), r"memory|forget|remember|thinking", "her memory")
    c.says("must 1", first(meds), r"miss|doubl|twice|extra|all at once", "the missed and doubled doses")
    c.present("must 2", "a key safe at the front door", o.find("key_safe", words=r"key safe", parts=("title",)),
              "P2-P3")
    c.present("must 3", "a daily check-in (planned call, telecare check or befriending)",
              o.find("daily_checkin", words=r"check-in|daily call|befriend", parts=("title",)))
    c.no_wording("must not", r"\bhips?\b|walking (frame|aid|stick)|\bwalker\b",
                 "hip, walking-frame or walking-aid wording")
    fire = o.find("auto_shutoff", "cooker_safety", "heat_alarm", "fire_service", "smoke_alarms", "fire_plan",
                  "fire_guard", words=r"\bfire\b|cooker|\bhob\b|smoke alarm", parts=("title", "reason"))
    c.not_at("must not", "fire or cooker item (no fire hazard was recorded)", fire, ["P1"])
    c.not_at("must not", "cooker safety above future planning (P3–P4)",
             o.find("auto_shutoff", "cooker_safety", words=r"cooker|\bhob\b", parts=("title",)), ["P1", "P2"])
    c.absent("must not", "thermostatic mixing valve or scald item (46 °C is below the UK 48 °C limit)",
             o.find("tmv", "water_heater", words=r"scald|mixing valve", parts=("title", "reason")))
    c.absent("must not", "door-exit sensor or GPS locator (no wandering recorded)",
             o.find("telecare", "bed_sensor", "exit_sensor", "gps",
                    words=r"exit sensor|door (sensor|alarm)|\bGPS\b|locator|wander", parts=("title", "family_text")))
    c.no_wording("must not", CLIENT_FELL, "falls-history wording")
    c.verify()


def test_s12_glaucoma_contrast_light(case: Case) -> None:
    c = case("s12")
    o = c.outcome
    table = c.present("must 1", "moving the glass coffee table out of the walkway",
                      o.find("living_room.rearrange", words=r"coffee table|clear route|move (the )?(furniture|table)",
                             parts=("title",)), "P2-P3")
    c.first_in_tier("must 1", table, "free and quick: first within its tier")
    c.says("must 1", first(table), EYESIGHT, "his eyesight (reduced side vision; clear glass is hard to see)")
    c.says("must 1", first(table), r"\bglass\b", "the clear glass of the table")
    light = c.present("must 2", "task lighting under the cabinets at the worktop",
                      o.find("under_cupboard", words=r"under[- ](cupboard|cabinet)|task light", parts=("title",)),
                      "P2-P3")
    c.says("must 2", first(light), EYESIGHT, "his eyesight")
    target = [f for f in o.finding("kitchen.task_lighting") if 500 in numbers(f.threshold_text)
              or 46 in numbers(f.threshold_text)]
    c.expect(bool(target) or bool(light and 500 in numbers(text_of(light[0], ALL_PARTS + ("sizing",)))), "must 2",
             "the worktop light brought from 120 lux to at least 500 lux (about 46 fc)",
             "; ".join(f"{f.measured_text} vs {f.threshold_text}" for f in o.finding("kitchen.task_lighting"))
             or "no target shown")
    edges = c.present("must 3", "contrasting strips on the stair edges",
                      o.find("stairs.nosings", words=r"contrast\w* strip|step edge", parts=("title",)), "P2-P3")
    c.says("must 3", first(edges), EYESIGHT, "his eyesight")
    seat = c.present("must 4", "a contrasting (dark) toilet seat",
                     o.find("contrast_seat", words=r"coloured toilet seat|contrast\w* (toilet )?seat",
                            parts=("title",)), "P2-P4")
    c.says("must 4", first(seat), EYESIGHT, "his eyesight")
    c.present("must 5", "a low-vision service referral",
              o.find("low_vision_service", words=r"low[- ]vision", parts=("title",)))
    c.no_wording("must not", r"dementia", "\"dementia\" wording")
    c.absent("must not", "items reserved for dementia (door-exit sensor, GPS locator, hob shut-off)",
             o.find("telecare", "auto_shutoff", "bed_sensor", "exit_sensor", "gps",
                    words=r"exit sensor|\bGPS\b|locator|(hob|cooker) (shut|cut)", parts=("title",)))
    c.no_wording("must not", CLIENT_FELL, "wording that he has had falls")
    c.at_most("must not", "P1", 1)
    c.no_metric_only("must not")
    c.verify()


# --- Our own cases -----------------------------------------------------------------------------------

def test_own01_posterior_hip_replacement(case: Case) -> None:
    c = case("own01")
    o = c.outcome
    toilet = c.present("must 1", "a raised toilet seat (or frame) sized with the hip margin", o.find(*TOILET_SUPPORT),
                       "P1-P2")
    c.sizing_numbers("must 1", first(o.find(*SEAT_RAISE)), [500, 20, 400, 120, 150],
                     "knee 500 + 20 mm hip margin − toilet 400 = 120 mm, so the 150 mm seat (never rounded down)")
    c.says("must 1", first(toilet), r"\bhip", "her hip precautions")
    chair = c.present("must 2", "raising the armchair", o.find("chair_raisers", "riser_chair",
                                                               words=r"armchair|high-seat chair", parts=("title",)),
                      "P1-P2")
    c.sizing_numbers("must 2", first(o.find("chair_raisers")), [500, 20, 430, 90, 100],
                     "500 + 20 − 430 = 90 mm, so a 100 mm raise")
    c.says("must 2", first(chair), r"\bhip", "her hip precautions")
    bath = c.present("must 3", "a bath board or tub transfer bench with a hand-held shower (no sitting in the bath)",
                     o.find("bath_board", "tub_transfer_bench", words=r"bath board|transfer bench", parts=("title",)),
                     "P1-P2")
    c.says("must 3", first(bath), r"hand-held shower", "the hand-held shower", parts=FAMILY_PARTS)
    c.absent("must 3", "anything that has her sit in the bath (bath lift, bath seat)",
             o.find("bath_lift", "bath_seat", words=r"bath lift|bath seat", parts=("title",)))
    c.present("must 4", "a hip kit (reacher, sock aid, long shoehorn)", o.find("hip_kit", words=r"hip kit|sock aid",
                                                                                 parts=("title", "family_text")),
              "P2-P3")
    c.present("must 4", "hip-precaution education", o.find("hip_precautions_education",
                                                           words=r"hip precautions", parts=("title",)), "P2-P3")
    bed = c.present("must 5", "raising the bed with the hip margin", o.find("bed_raisers", words=r"raise the bed",
                                                                            parts=("title",)), "P2-P3")
    c.sizing_numbers("must 5", first(bed), [500, 20, 480, 40, 50], "500 + 20 − 480 = 40 mm, so 50 mm raisers")
    c.present("must 6", "sitting to dress with dressing aids", o.find("dressing_aids", "hip_kit",
                                                                      words=r"dress", parts=("title",)), "P2-P3")
    c.no_wording("must not", LIVES_ALONE, "wording that she lives alone")
    c.no_wording("must not", CLIENT_FELL, "falls-history wording (no falls)")
    c.at_most("must not", "P1", 3)
    c.verify()


def test_own02_parkinsons_freezing(case: Case) -> None:
    c = case("own02")
    o = c.outcome
    cues = c.present("must 1", "floor cue lines for the patterned floor", o.find("floor_cues", words=r"cue",
                                                                                 parts=("title",)), "P2-P3")
    c.says("must 1", first(cues), r"freez", "freezing")
    c.present("must 2", "a physiotherapy referral for freezing and cueing",
              o.find("parkinsons_cueing", "physio_referral", words=r"physio", parts=("title",)))
    lights = c.present("must 3", "night lights on the way to the toilet",
                       o.find("night_light", words=r"night[- ]lights?", parts=("title",)), "P1-P2")
    c.says("must 3", first(lights), CLIENT_FELL.pattern, "his falls")
    c.present("must 4", "a falls service referral", o.find("falls_service", "falls_referral",
                                                           words=r"falls (service|prevention)", parts=("title",)),
              "P1-P3")
    clutter = c.present("must 5", "clearing the hallway floor", o.find("hallway.declutter", words=r"clear the hallway",
                                                                       parts=("title",)), "P2-P3")
    c.first_in_tier("must 5", clutter, "free and quick: before anything that costs money or needs fitting",
                    before=COSTLY_CATEGORIES)
    c.present("must 6", "lever handles instead of round knobs", o.find("lever_handles", words=r"lever handles",
                                                                       parts=("title",)))
    alarms = o.find(*CALL_FOR_HELP, words=CALL_WORDS, parts=("title",))
    c.expect(len(alarms) <= 1, "must not", "at most one recommendation for calling help after a fall",
             ", ".join(map(short, alarms)))
    c.p1_at_most_third("must not")
    c.no_wording("must not", HIP_WORDING, "hip wording")
    c.no_wording("must not", LIVES_ALONE, "wording that he lives alone")
    c.no_wording("must not", r"memory|dementia", "memory or dementia wording (cognition intact)")
    c.verify()


def test_own03_ms_heat_fatigue(case: Case) -> None:
    c = case("own03")
    o = c.outcome
    tmv = c.present("must 1", "a thermostatic mixing valve (55 °C with reduced feeling)",
                    o.find("tmv", words=r"thermostatic|mixing valve", parts=("title",)), "P1")
    c.says("must 1", first(tmv), r"feel|sensation|numb", "her reduced feeling")
    c.present("must 2", "seated showering", o.find("shower_seat", words=r"shower (chair|stool|seat)",
                                                   parts=("title",)), "P2-P3")
    c.present("must 3", "energy conservation (pacing, sitting for tasks)",
              o.find("energy_conservation", words=r"save energy|\bpac(e|ing)\b", parts=("title", "family_text")))
    c.present("must 4", "keeping the bedroom cool", o.find("bedroom.fan", words=r"\bfan\b|cool", parts=("title",)))
    stool = c.present("must 5", "a perching stool at the worktop", o.find("perching_stool",
                                                                          words=r"perching stool", parts=("title",)))
    c.sizing_numbers("must 5", first(stool), [480, 100, 580], "knee 480 + 100 mm perch = seat at 580 mm")
    c.absent("must not", "turning the water heater down as the fix",
             o.find("water_heater", words=r"\bturn(ing)? (the \w+ )?down\b", parts=("title", "family_text")))
    c.no_wording("must not", CLIENT_FELL, "falls-history wording (no falls)")
    c.no_wording("must not", HIP_WORDING, "hip wording")
    c.at_most("must not", "P1", 2)
    c.verify()


def test_own04_macular_degeneration(case: Case) -> None:
    c = case("own04")
    o = c.outcome
    edges = c.present("must 1", "contrasting stair-edge strips", o.find("stairs.nosings", words=r"step edge",
                                                                        parts=("title",)), "P2-P3")
    c.says("must 1", first(edges), EYESIGHT, "her eyesight")
    stairs_light = c.present("must 2", "better stair lighting (150 lux)", o.find("stairs.lighting",
                                                                                 words=r"light the stairs",
                                                                                 parts=("title",)), "P2-P3")
    c.says("must 2", first(stairs_light), EYESIGHT, "her eyesight")
    worktop = c.present("must 3", "task lighting at the worktop (200 lux)",
                        o.find("under_cupboard", words=r"under[- ](cupboard|cabinet)|task light", parts=("title",)),
                        "P2-P3")
    c.says("must 3", first(worktop), EYESIGHT, "her eyesight")
    seat = c.present("must 4", "a contrasting toilet seat", o.find("contrast_seat", words=r"coloured toilet seat",
                                                                   parts=("title",)), "P2-P4")
    c.says("must 4", first(seat), EYESIGHT, "her eyesight")
    c.present("must 5", "a low-vision service referral", o.find("low_vision_service", words=r"low[- ]vision",
                                                                parts=("title",)))
    c.absent("must not", "a personal alarm (she wears a pendant)", o.find("pendant", words=r"personal alarm|pendant",
                                                                          parts=("title",)))
    c.no_wording("must not", r"memory|dementia", "memory or dementia wording")
    c.no_wording("must not", CLIENT_FELL, "falls-history wording (no falls)")
    c.at_most("must not", "P1", 1)
    c.no_metric_only("must not")
    c.verify()


def test_own05_office_carpal_tunnel(case: Case) -> None:
    c = case("own05")
    o = c.outcome
    devices = c.present("must 1", "keyboard and mouse brought close, ergonomic devices",
                        o.find("input_devices", words=r"ergonomic (devices|keyboard|mouse)", parts=("title",)), "P1-P2")
    c.says("must 1", first(devices), r"\bhands?\b|wrists?", "her hands")
    c.present("must 2", "an occupational health or physiotherapy referral for the symptoms",
              o.find("workstation.referral", words=r"occupational health|physio", parts=("title",)), "P2-P3")
    c.present("must 3", "a laptop stand with a separate keyboard and mouse",
              o.find("laptop_kit", words=r"laptop stand", parts=("title",)))
    c.present("must 4", "regular breaks or posture changes", o.find("workstation.breaks", words=r"\bbreak",
                                                                    parts=("title",)))
    c.present("must 5", "the chair set up (ROSA 6)", o.find("chair_setup", words=r"adjust the chair",
                                                            parts=("title",)))
    c.absent("must not", "home items", o.find("rec.bathroom", "rec.bedroom", "rec.toilet", "rec.kitchen",
                                              "rec.living_room", "rec.hallway", "rec.stairs", "rec.entrance",
                                              "rec.whole_house", "pendant", "daily_checkin"))
    c.no_wording("must not", r"\bat home\b|\byour home\b|\bin the home\b", "home wording")
    c.no_wording("must not", ANY_FALL, "falls wording")
    c.at_most("must not", "P1", 1)
    c.verify()


def test_the_scenario_set_keeps_urgent_rare_and_lists_nothing_twice(ctx) -> None:  # noqa: ANN001
    """Across every case: at most 30 % P1 (REFERENCE §5.1 is rare), and no visit lists the same
    recommendation twice (one fact, one finding; one purpose, one recommendation)."""
    from homeassess.services.scenario import load_scenario, run_scenario
    from tests.scenarios.conftest import DATA

    total = urgent = 0
    repeated: list[str] = []
    for path in sorted(DATA.glob("*.toml")):
        result = run_scenario(ctx, load_scenario(path, ctx.registry))
        total += len(result.recommendations)
        urgent += sum(r.tier == "P1" for r in result.recommendations)
        for key in ("template_id", "title"):
            values = [getattr(r, key) for r in result.recommendations]
            repeated += [f"{path.stem}: {v}" for v in sorted(set(values)) if values.count(v) > 1]
    assert total and urgent / total <= 0.30, f"{urgent} of {total} recommendations are P1"
    assert not repeated, repeated
