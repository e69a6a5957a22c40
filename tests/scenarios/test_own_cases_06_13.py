"""Our own clinical cases 6–13 (tests/scenarios/data/own06_… to own13_…), checked by meaning like test_scenarios.py.

Each case has one test with every must and must-not a senior OT expects. A must the engine cannot meet yet (a
missing fact or rule) goes in a ``…_deferred`` test marked ``DEFERRED`` (xfail) and in the scenario file as a
``# DEFERRED:`` comment; when the engine catches up the test passes (XPASS) and its checks move into the main test.
None is deferred today.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.scenarios.helpers import (
    ALL_PARTS, CLIENT_FELL, COSTLY_CATEGORIES, FAMILY_PARTS, HIP_WORDING, LIVES_ALONE, Expectations, short,
    text_of,
)

Case = Callable[[str], Expectations]
EYESIGHT = r"eyesight|\bvision\b|\bsee\b|\bseen\b|\bseeing\b|\bsight\b|glaucoma|\beyes?\b"
ANY_FALL = r"\bfall(s|ing|en)?\b|\bfell\b"
SEAT_RAISE = ("raised_seat",)
TOILET_SUPPORT = ("toilet.raised_seat", "toilet.frame")
BATH_TRANSFER = ("bath_board", "tub_transfer_bench")
HOME_ITEMS = ("rec.bathroom", "rec.bedroom", "rec.toilet", "rec.kitchen", "rec.living_room", "rec.hallway",
              "rec.stairs", "rec.entrance", "rec.whole_house", "pendant", "daily_checkin", "walker_tray",
              "floor_recovery")
WEIGHT_BEARING = ("shower_seat", "bath_board", "tub_transfer_bench", "toilet.frame", "raised_seat", "grab_rail",
                  "commode", "bed_raisers", "adjustable_bed", "perching_stool", "chair_raisers", "riser_chair")
# Hip-precaution wording; "between hip and shoulder height" or "knees level with hips" are ordinary guidance.
HIP_PRECAUTION = (r"hip precaution|hip kit|\bnew hip\b|\b90 ?°|cross(ing)? (your |his |her )?legs|"
                  r"hips? (stay )?above (your |the )?knees")
DEFERRED = pytest.mark.xfail(reason="deferred musts: the engine lacks a fact or rule (see the # DEFERRED: comments "
                                    "in the scenario file)", strict=False)


def first(recs: list) -> object | None:
    return recs[0] if recs else None


# --- own06: lumbar fusion with spinal precautions ----------------------------------------------------------

def test_own06_lumbar_fusion_spinal_precautions(case: Case) -> None:
    c = case("own06")
    o = c.outcome
    store = c.present("must 1", "everyday kitchen items moved to between waist and shoulder height",
                      o.find("kitchen.reorganise", words=r"waist and shoulder|reorganis", parts=("title",)), "P2-P3")
    c.says("must 1", first(store), r"bend|precaution|back|spine", "bending against her spinal precautions")
    dress = c.present("must 2", "sitting to dress with dressing aids (sock aid, long shoehorn, reacher)",
                      o.find("dressing_aids", words=r"\bdress", parts=("title",)), "P2-P3")
    c.says("must 2", first(dress), r"bend|precaution|back|spine", "bending to her feet")
    c.present("must 3", "laundry without lifting or bending (smaller loads, trolley, raised machine or reacher)",
              o.find("laundry.small_loads", "laundry.trolley", "laundry.plinth", "laundry.reacher"), "P2-P3")
    toilet = c.present("must 4", "a raised toilet seat (or frame) so she does not bend to sit", o.find(*TOILET_SUPPORT),
                       "P2-P3")
    c.says("must 4", first(toilet), r"bend|precaution|back|spine",
           "her spinal precautions (a low toilet makes her bend her back)")
    c.sizing_numbers("must 4", first(o.find(*SEAT_RAISE)), [480, 400, 80, 100],
                     "knee 480 − toilet 400 = 80 mm, so the 100 mm seat (no hip margin)")
    c.no_wording("must 4", r"\bhip", "hip-precaution margin in any sizing (spinal, not hip, precautions)",
                 parts=("sizing",))
    bath = c.present("must 5", "a bath board or tub transfer bench with a hand-held shower (no twisting over the rim)",
                     o.find(*BATH_TRANSFER, words=r"bath board|transfer bench", parts=("title",)), "P1-P2")
    c.says("must 5", first(bath), r"hand-held shower", "the hand-held shower", parts=FAMILY_PARTS)
    c.absent("must 5", "anything that has her sit down in the bath or bend low (bath lift, bath seat)",
             o.find("bath_lift", "bath_seat", words=r"bath lift|bath seat", parts=("title",)))
    edu = c.present("must 6", "education on no bending, lifting or twisting",
                    o.find("spinal_education", words=r"bending, lifting|no bending", parts=("title",)), "P2-P3")
    c.first_in_tier("must 6", edu, "free advice before anything that costs money or needs fitting",
                    before=COSTLY_CATEGORIES)
    c.present("must 7", "a long-handled toilet aid (she twists to wipe)",
              o.find("toilet_aid", words=r"toilet aid|wash-and-dry", parts=("title",)))
    c.present("must 7", "a long-handled sponge for washing her feet",
              o.find("long_sponge", words=r"long-handled sponge", parts=("title",)))
    c.no_wording("must not", HIP_PRECAUTION, "hip-precaution wording")
    c.absent("must not", "hip kit or hip education", o.find("hip_kit", "hip_precautions"))
    c.no_wording("must not", CLIENT_FELL, "falls-history wording (no falls)")
    c.no_wording("must not", LIVES_ALONE, "wording that she lives alone")
    c.at_most("must not", "P1", 1)
    c.verify()


# --- own07: stroke with right-sided weakness ---------------------------------------------------------------

LEFT_STRONGER = r"\bleft hand\b[^.]*stronger|stronger[^.]*\bleft\b"


def test_own07_stroke_right_weakness(case: Case) -> None:
    c = case("own07")
    o = c.outcome
    tmv = c.present("must 1", "a thermostatic mixing valve (60 °C and reduced feeling in his right hand)",
                    o.find("tmv", words=r"thermostatic|mixing valve", parts=("title",)), "P1")
    c.says("must 1", first(tmv), r"feel|sensation|numb", "his reduced feeling")
    second = c.present("must 2", "a second stair rail", o.find("second_rail", words=r"second (stair )?(hand)?rail",
                                                               parts=("title",)), "P1-P2")
    c.says("must 2", first(second), LEFT_STRONGER, "his left hand as the stronger side", parts=FAMILY_PARTS)
    c.says("must 2", first(second), r"going up and coming down|both ways", "a rail for his left hand both ways",
           parts=FAMILY_PARTS)
    rails = c.present("must 3", "grab rail(s) at the shower entry",
                      o.find("bathroom.grab_rails", words=r"grab rails? at the (bath|shower)", parts=("title",)),
                      "P1-P2")
    c.says("must 3", first(rails), CLIENT_FELL.pattern, "his fall")
    c.says("must 3", first(rails), LEFT_STRONGER, "his left (stronger) hand", parts=FAMILY_PARTS)
    for rec in rails:
        text = text_of(rec, FAMILY_PARTS)
        c.expect("stairs" not in text.lower(), "must 3", f"no stair wording in the shower rail advice {short(rec)}",
                 f"“{text}”")
    seat = c.present("must 4", "seated showering", o.find("shower_seat", words=r"shower (chair|stool)",
                                                          parts=("title",)), "P2-P3")
    c.says("must 4", first(seat), r"\b470 ?mm", "a seat at about his knee height, 470 mm",
           parts=("title", "family_text", "choice_reason", "options", "sizing"))
    c.present("must 5", "a raised toilet seat (a frame or rail as well is fine)", o.find(*TOILET_SUPPORT), "P2-P3")
    c.sizing_numbers("must 5", first(o.find(*SEAT_RAISE)), [470, 410, 60, 50],
                     "470 − 410 = 60 mm, so the nearest standard seat is 50 mm", unwanted=[100])
    c.present("must 6", "non-slip mats in and outside the shower (no slip-resistant surface, slipped there)",
              o.find("non_slip_mat", words=r"non-slip mat", parts=("title",)), "P2-P3")
    c.present("must 7", "one-handed kitchen aids", o.find("one_handed", words=r"one[- ]hand", parts=("title",)))
    c.present("must 7", "lever taps or tap turners", o.find("lever_taps", words=r"lever taps|tap turner",
                                                            parts=("title",)))
    c.no_wording("must not", r"stronger[^.]{0,30}\bright\b|\bright (hand|side|arm)\b[^.]{0,30}stronger",
                 "the right (weak) side called the stronger one")
    c.no_wording("must not", HIP_WORDING, "hip wording")
    c.absent("must not", "hip kit or hip education", o.find("hip_kit", "hip_precautions"))
    c.not_at("must not", "stairlift or through-floor lift", o.find("stairlift", "through_floor",
                                                                   words=r"stair ?lift|through[- ]floor",
                                                                   parts=("title",)), ["P1", "P2"])
    c.no_wording("must not", LIVES_ALONE, "wording that he lives alone")
    c.at_most("must not", "P1", 2)
    toilet = first(o.find(*TOILET_SUPPORT))
    c.says("must 5", toilet, r"\bleft\b", "the rail or frame placed for his left (stronger) hand", parts=FAMILY_PARTS)
    c.verify()


# --- own08: moderate dementia, leaves home at night -------------------------------------------------------

def test_own08_moderate_dementia_night_exit(case: Case) -> None:
    c = case("own08")
    o = c.outcome
    door = c.present("must 1", "an alert to his wife when an outside door opens (door chime, exit sensor)",
                     o.find("exit_alert", "telecare", "exit_sensor", words=r"door (chime|alarm|sensor)",
                            parts=("title",)), "P1-P2")
    c.says("must 1", first(door), r"left home|leav|lost|wander|night", "that he leaves the house and gets lost")
    c.present("must 2", "a bed-exit sensor so she knows when he gets up at night",
              o.find("bed_sensor", words=r"bed[- ]exit|bed sensor", parts=("title",)), "P1-P3")
    cooker = c.present("must 3", "a cooker or gas safety cut-off", o.find("auto_shutoff", words=r"cut-off|shut-?off",
                                                                          parts=("title",)), "P1-P2")
    c.says("must 3", first(cooker), r"memory|forget|thinking", "his memory")
    hot = c.present("must 4", "a mixing valve at the taps (58 °C, UK limit 48 °C)",
                    o.find("tmv", "water_heater", words=r"mixing valve", parts=("title",)), "P1-P2")
    c.says("must 4", first(hot), r"memory|thinking|confus|forget", "his memory (he may not notice the danger)")
    memory = c.present("must 5", "a memory service referral", o.find("memory_service", words=r"memory service",
                                                                     parts=("title",)))
    c.expect(bool(o.with_wording(r"\bGPS\b|locator|location (device|tracker)", ALL_PARTS)), "must 6",
             "a GPS locator suggested for getting lost outside", "no mention in any recommendation")
    c.says("must 7", first(memory), r"carer|family|wife", "support for his wife as his carer", parts=ALL_PARTS)
    doors = o.find("exit_alert", "telecare", "exit_sensor", words=r"door (chime|alarm|sensor)|sensors \(door",
                   parts=("title",))
    c.expect(len(doors) <= 1, "must-not", "one recommendation for the door-exit alert (one purpose, one item)",
             ", ".join(map(short, doors)))
    c.no_wording("must not", LIVES_ALONE, "wording that he lives alone")
    c.absent("must not", "daily check-in or personal alarm (he lives with his wife; no falls)",
             o.find("daily_checkin", "pendant", words=r"check-in|personal alarm|pendant", parts=("title",)))
    c.no_wording("must not", CLIENT_FELL, "falls-history wording (no falls)")
    c.absent("must not", "turning the water heater down as the fix",
             o.find(words=r"\bturn(ing)? (it |the \w+ (heater |cylinder )?)?down\b", parts=("title", "family_text")))
    c.at_most("must not", "P1", 4)
    c.verify()


# --- own09: glaucoma with severe hearing loss -------------------------------------------------------------

def test_own09_glaucoma_severe_hearing_loss(case: Case) -> None:
    c = case("own09")
    o = c.outcome
    strobe = c.present("must 1", "a smoke alarm she can feel (vibrating pad) linked to the existing alarms",
                       o.find("strobe_alarm", words=r"(flashing|strobe|vibrating)[^.]*smoke alarm", parts=("title",)),
                       "P1")
    c.says("must 1", first(strobe), r"\bhear", "that she cannot hear the alarm")
    c.says("must 1", first(strobe), r"vibrat|\bpad\b|shake", "a vibrating pad (a flashing light alone is not enough "
                                                              "with her sight)", parts=FAMILY_PARTS)
    edges = c.present("must 2", "contrasting stair-edge strips", o.find("stairs.nosings", words=r"step edge",
                                                                        parts=("title",)), "P2-P3")
    c.says("must 2", first(edges), EYESIGHT, "her eyesight")
    light = c.present("must 3", "better stair lighting (70 lux)", o.find("stairs.lighting", words=r"light the stairs",
                                                                         parts=("title",)), "P2-P3")
    c.says("must 3", first(light), EYESIGHT, "her eyesight")
    c.present("must 4", "brighter hallway lighting (60 lux)", o.find("brighter_bulbs", words=r"brighter",
                                                                    parts=("title",)), "P2-P3")
    c.present("must 5", "task lighting at the worktop (150 lux)",
              o.find("under_cupboard", words=r"under[- ](cupboard|cabinet)|task light", parts=("title",)), "P2-P3")
    c.present("must 6", "a low-vision service referral", o.find("low_vision_service", words=r"low[- ]vision",
                                                                parts=("title",)))
    c.expect(bool(o.with_wording(r"deaf ?blind|dual sensory|sensory (team|service|support)", ALL_PARTS)),
             "must 9", "a referral to a dual-sensory (deafblind) service or the council sensory team",
             "no mention in any recommendation")
    c.no_wording("must not", r"\btalking\b|\bspoken\b|\bspeaking\b", "talking or spoken gadgets (she cannot hear)")
    c.present("must 7", "light switches that stand out from the wall", o.find("two_way_switch",
              words=r"switch", parts=("title",)))
    bell = c.present("must 8", "doorbell and phone alerts she can feel", o.find("hearing_alerts",
                     words=r"doorbell", parts=("title",)), "P2-P4")
    c.lower_tier("must 8", bell, strobe, "the doorbell in a lower tier than the smoke alarm")
    c.no_wording("must not", CLIENT_FELL, "falls-history wording (no falls)")
    c.no_wording("must not", r"memory|dementia", "memory or dementia wording")
    c.absent("must not", "falls service referral (no falls)", o.find("falls_service", "falls_referral"))
    c.at_most("must not", "P1", 1)
    c.verify()


# --- own10: COPD on home oxygen, wife smokes -------------------------------------------------------------

def test_own10_copd_oxygen_wife_smokes(case: Case) -> None:
    c = case("own10")
    o = c.outcome
    smoking = c.present("must 1", "no smoking anywhere in the home while oxygen is in use",
                        o.find("oxygen_no_smoking", words=r"no smoking", parts=("title",)), "P1")
    c.says("must 1", first(smoking), r"oxygen", "home oxygen")
    c.says("must 1", first(smoking), r"fire|flame|burn", "the fire risk")
    c.says("must 1", first(smoking), r"someone (else )?smokes|wife|household", "that someone else smokes")
    flames = c.present("must 2", "oxygen kept away from the open gas fire",
                       o.find("oxygen_flames", words=r"open flames?", parts=("title",)), "P1-P2")
    c.says("must 2", first(flames), r"gas fire|open fire|\bfire\b", "the fire he sits beside", parts=FAMILY_PARTS)
    c.present("must 3", "smoke alarms tested and working", o.find("smoke_alarms", words=r"smoke alarm",
                                                                  parts=("title",)), "P1-P2")
    c.present("must 4", "a carbon monoxide alarm (gas fire and boiler)", o.find("co_alarm",
              words=r"carbon monoxide", parts=("title",)), "P1-P2")
    c.present("must 5", "telling the oxygen team", o.find("oxygen_team", words=r"oxygen (prescriber|team)",
                                                         parts=("title",)))
    c.present("must 6", "the tubing across the floor tidied away", o.find("reroute_cables", "remove_rugs",
              words=r"cables?|tubing|cords?", parts=("title",)), "P1-P2")
    energy = c.present("must 7", "pacing and sitting for tasks", o.find("pacing", "energy_conservation",
                       words=r"\bpac(e|ing)\b|save (your )?(energy|breath)", parts=("title", "family_text")))
    c.says("must 7", first(energy), r"breath", "his breathlessness")
    bath = c.present("must 8", "seated bathing over the bath (tub transfer bench or bath board, hand-held shower)",
                     o.find(*BATH_TRANSFER, words=r"transfer bench|bath board", parts=("title",)), "P2-P3")
    c.says("must 8", first(bath), r"hand-held shower", "the hand-held shower", parts=FAMILY_PARTS)
    c.present("must 9", "a perching stool at the worktop", o.find("perching_stool", words=r"perching stool",
                                                                  parts=("title",)))
    c.no_wording("must not", r"\byou (smoke|are smoking)\b|\byour (smoking|cigarettes?)\b|\b(he|his) smok",
                 "wording that suggests he is the smoker")
    c.absent("must not", "stairlift or moving downstairs (a bungalow)",
             o.find("stairlift", "live_downstairs", "through_floor", words=r"stair ?lift|downstairs",
                    parts=("title",)))
    c.absent("must not", "mixing valve or scald item (46 °C is below the UK 48 °C limit)",
             o.find("tmv", "water_heater", words=r"scald|mixing valve", parts=("title", "reason")))
    c.at_most("must not", "P1", 3)
    c.no_wording("must not", r"\bstairs?\b|\bupstairs\b|each floor", "stair wording (one-level home)")
    seated = o.find("shower_seat", *BATH_TRANSFER, words=r"shower (chair|stool|seat)|transfer bench|bath board",
                    parts=("title",))
    c.expect(len(seated) <= 1, "must not", "one seated-washing recommendation for the one bath",
             ", ".join(map(short, seated)))
    c.absent("must not", "new grab rails at the bath (a fixed rail is already there)",
             o.find("bathroom.grab_rails", words=r"grab rails? at the (bath|shower)", parts=("title",)))
    c.verify()


# --- own11: 160 kg with a rollator rated 136 kg ----------------------------------------------------------

def test_own11_bariatric_160kg_rollator(case: Case) -> None:
    c = case("own11")
    o = c.outcome
    aid = c.present("must 1", "a bariatric rollator rated for at least 160 kg",
                    o.find("rated_aid", words=r"mobility aid[^.]*rated|bariatric (rollator|walker)", parts=("title",)),
                    "P1")
    c.says("must 1", first(aid), r"\b160 ?kg\b", "her weight, 160 kg")
    c.says("must 1", first(aid), r"\b136 ?kg\b", "the rollator's 136 kg rating")
    for item in o.find(*WEIGHT_BEARING, words=r"\b(shower (chair|stool|seat)|raised (toilet )?seat|grab (bar|rail)s?|"
                                               r"toilet frame|chair raisers?|commode|stool)\b", parts=("title",)):
        c.says("must 2", item, r"bariatric|\b160 ?kg|heavy[- ]duty", "a rating of at least 160 kg",
               parts=ALL_PARTS + ("sizing",))
    for bar in o.find("grab_rail", words=r"grab (bar|rail)", parts=("title",)):
        c.says("must 3", bar, r"stud|blocking|masonry|joist|reinforc|structur", "fixing into the structure",
               parts=ALL_PARTS)
    c.present("must 4", "a raised toilet seat or toilet frame", o.find(*TOILET_SUPPORT), "P2-P3")
    c.sizing_numbers("must 4", first(o.find(*SEAT_RAISE)), [500, 410, 90, 100], "500 − 410 = 90 mm, so 100 mm")
    c.present("must 5", "seated showering", o.find("shower_seat", words=r"shower (chair|stool|seat)",
                                                   parts=("title",)), "P2-P3")
    chair = c.present("must 6", "raising the armchair", o.find("chair_raisers", "riser_chair",
                      words=r"armchair|high-seat chair", parts=("title",)), "P2-P3")
    c.sizing_numbers("must 6", first(chair), [500, 420, 80, 100], "500 − 420 = 80 mm, so a 100 mm raise")
    door = c.present("must 7", "swing-clear hinges at the bathroom door", o.find("swing_clear", "offset_hinges",
                     words=r"swing-clear|offset hinge", room="Bathroom", parts=("title", "options")), "P2-P3")
    c.sizing_numbers("must 7", first(door), [640, 740, 700, 40], "640 + 2 × 50 = 740 mm against 700 mm: 40 mm short")
    c.present("must 8", "a toilet aid for cleaning herself", o.find("toilet_aid", words=r"toilet aid|wash-and-dry",
                                                                    parts=("title",)))
    bed = c.present("must 9", "her bed (rated 135 kg) replaced or checked for one rated for her weight",
                    o.find("rated_equipment", "bariatric_bed", words=r"(equipment|bed)[^.]*rated for your weight|"
                                                                   r"bariatric bed", parts=("title",)), "P1-P2")
    c.says("must 9", first(bed), r"\b135 ?kg\b", "the bed's 135 kg rating")
    c.no_wording("must not", r"obes|morbid|\bfat\b|overweight|\bbig\b|\blarge (woman|person|client)",
                 "judgemental weight labels", parts=("title", "reason", "family_text"))
    c.no_wording("must not", CLIENT_FELL, "falls-history wording (no falls)")
    c.at_most("must not", "P1", 2)
    c.verify()


# --- own12: six-year-old with autism who leaves the house and climbs ---------------------------------------

def test_own12_child_autism_elopement(case: Case) -> None:
    c = case("own12")
    o = c.outcome
    exits = c.present("must 1", "outside doors that alert the parents and cannot be opened by him",
                      o.find("exit_alert", words=r"door (chime|alarm|sensor)", parts=("title",)), "P1")
    c.says("must 1", first(exits), r"left the house|leav|wander|unnoticed", "that he gets out of the house")
    c.says("must 1", first(exits), r"your (child|son)|\bMax\b", "his parents (\"your child\")")
    pool = c.present("must 2", "a compliant pool fence (AU 1200 mm) with a self-closing, self-latching gate",
                     o.find("pool_fence", words=r"\bpool\b", parts=("title",)), "P1")
    c.says("must 2", first(pool), r"\b1200 ?mm|1\.2 ?m\b", "the 1200 mm barrier height", parts=ALL_PARTS)
    c.expect(bool(o.with_wording(r"gate[^.]*(shut|close)s?[^.]*latch|self-closing", FAMILY_PARTS)), "must 2",
             "a pool gate that shuts and latches by itself", "no mention in any recommendation")
    hot = c.present("must 3", "a mixing valve (60 °C, AU limit 50 °C)", o.find("tmv", "water_heater",
                    words=r"mixing valve", parts=("title",)), "P1-P2")
    c.says("must 3", first(hot), r"child", "that a child's skin burns faster")
    climbing = c.present("must 4", "window restrictors, and tall furniture and the TV anchored to the wall",
                         o.find("climbing_safety", words=r"anchor|furniture|window restrictor", parts=("title",)),
                         "P1-P2")
    c.expect(len(climbing) == 1, "must 4", "window restrictors and furniture anchoring as one recommendation",
             ", ".join(map(short, climbing)))
    c.present("must 5", "cleaning chemicals locked away", o.find("lock_chemicals", "medication",
              words=r"lock|safe storage", parts=("title", "family_text")), "P1-P2")
    c.no_wording("must not", r"remind(s|er)?s? you|when to take|dispenser|blister|dosette|pharmacist",
                 "adult medicine-reminder wording (the hazard is a child and cleaning chemicals)")
    c.present("must 6", "a latch on the garden gate to the road", o.find("outdoor.gate", words=r"gate",
                                                                        room="Back garden", parts=("title",)), "P1-P2")
    c.expect(bool(o.with_wording(r"\bGPS\b|locator|tracker", ALL_PARTS)), "must 7",
             "a GPS tracker suggested (he cannot give his name or address)", "no mention in any recommendation")
    c.absent("must not", "adult items (grab rails, raised toilet seat, personal alarm, falls service, hip kit, "
                         "memory service, daily check-in)",
             o.find("grab_rail", "raised_seat", "pendant", "falls_service", "falls_referral", "hip_kit",
                    "memory_service", "daily_checkin", "walker_tray", "bath_board",
                    words=r"grab rail|raised toilet seat|personal alarm|pendant|memory service", parts=("title",)))
    c.absent("must not", "stairlift", o.find("stairlift", words=r"stair ?lift", parts=("title", "options")))
    c.no_wording("must not", CLIENT_FELL, "falls-history wording")
    c.no_wording("must not", HIP_WORDING, "hip wording")
    c.no_wording("must not", r"\byou (leave|climb|wander|have left)\b", "wording addressed to him rather than his "
                                                                        "parents", parts=("title", "reason"))
    c.at_most("must not", "P1", 4)
    c.expect(bool(o.with_wording(r"\bNDIS\b", ALL_PARTS)), "must", "NDIS named as the funding route",
             "no mention in any recommendation")
    c.verify()


# --- own13: receptionist after a wrist fracture ------------------------------------------------------------

def test_own13_workplace_receptionist_wrist_fracture(case: Case) -> None:
    c = case("own13")
    o = c.outcome
    devices = c.present("must 1", "keyboard and mouse brought close, ergonomic devices",
                        o.find("input_devices", words=r"ergonomic (devices|keyboard|mouse)", parts=("title",)), "P1-P2")
    c.says("must 1", first(devices), r"\bhands?\b|wrists?", "her wrist")
    c.expect(bool(o.with_wording(r"headset", FAMILY_PARTS)), "must 2", "a headset for the phone (no cradling)",
             "no mention in any recommendation")
    c.present("must 3", "regular breaks or posture changes", o.find("workstation.breaks", words=r"\bbreak",
                                                                    parts=("title",)))
    c.present("must 4", "an occupational health or physiotherapy (hand therapy) referral",
              o.find("workstation.referral", "occupational_health", words=r"occupational health|physio|hand therap",
                     parts=("title",)), "P2-P3")
    handling = c.present("must 5", "a manual-handling assessment of the parcel lifting",
                         o.find("manual_handling", words=r"manual[- ]handling", parts=("title",)), "P1-P2")
    c.says("must 5", first(handling), r"precaution|wrist|injur|restrict", "her lifting restriction")
    c.says("must 5", first(handling), r"\bwork|\bjob", "work wording", parts=("reason", "family_text"))
    c.present("must 6", "an easier door (45 N with a weak grip)", o.find("workplace_access.door",
              words=r"powered door|door closing force", parts=("title",)), "P2-P3")
    c.absent("must not", "home items", o.find(*HOME_ITEMS))
    c.no_wording("must not", r"\bat home\b|\byour home\b|\bin the home\b", "home wording")
    c.absent("must not", "falls-prevention items (falls service, personal alarm, floor recovery)",
             o.find("falls_service", "falls_referral", "pendant", "floor_recovery", "strength_balance"))
    c.no_wording("must not", HIP_PRECAUTION, "hip-precaution wording")
    c.absent("must not", "laptop kit (she has a desktop set-up)", o.find("laptop_kit", words=r"laptop stand",
                                                                         parts=("title",)))
    c.at_most("must not", "P1", 1)
    c.present("must 7", "interim amended duties (someone else lifts the parcels until her 12-week review)",
              o.find("amended_duties", words=r"amended duties|light(er)? duties|\brotat", parts=ALL_PARTS))
    c.no_wording("must not", r"pallet|carton|vacuum lifter", "warehouse wording for a reception job",
                 parts=FAMILY_PARTS)
    c.verify()
