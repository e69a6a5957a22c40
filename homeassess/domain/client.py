"""The client profile and the tags that rules use to make findings about *this* person."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum


class MobilityAid(StrEnum):
    NONE = "none"
    STICK = "stick"
    CRUTCHES = "crutches"
    WALKING_FRAME = "walking_frame"
    ROLLATOR = "rollator"
    MANUAL_WHEELCHAIR = "manual_wheelchair"
    POWERED_WHEELCHAIR = "powered_wheelchair"
    SCOOTER = "scooter"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Cognition(StrEnum):
    INTACT = "intact"
    MILD = "mild_impairment"
    MODERATE = "moderate_impairment"
    SEVERE = "severe_impairment"


class Sense(StrEnum):
    """Vision or hearing status."""

    NORMAL = "normal"
    IMPAIRED = "impaired"
    SEVERE = "severely_impaired"


class Condition(StrEnum):
    HIP_REPLACEMENT = "hip_replacement"
    KNEE_REPLACEMENT = "knee_replacement"
    SPINAL_SURGERY = "spinal_surgery"
    STROKE = "stroke"
    PARKINSONS = "parkinsons"
    MULTIPLE_SCLEROSIS = "multiple_sclerosis"
    DEMENTIA = "dementia"
    ARTHRITIS = "arthritis"
    HAND_INJURY = "hand_injury"
    LOWER_LIMB_AMPUTATION = "lower_limb_amputation"
    SPINAL_CORD_INJURY = "spinal_cord_injury"
    PERIPHERAL_NEUROPATHY = "peripheral_neuropathy"
    BURNS = "burns"
    HEART_OR_LUNG_DISEASE = "heart_or_lung_disease"
    AUTISM = "autism"
    CEREBRAL_PALSY = "cerebral_palsy"
    MACULAR_DEGENERATION = "macular_degeneration"
    COPD = "copd"
    GLAUCOMA = "glaucoma"
    OBESITY = "obesity"
    FRAILTY = "frailty"
    BACK_INJURY = "back_injury"
    CARPAL_TUNNEL = "carpal_tunnel"
    REPETITIVE_STRAIN = "repetitive_strain"

    @property
    def label(self) -> str:
        special = {"parkinsons": "Parkinson's disease", "multiple_sclerosis": "Multiple sclerosis",
                   "copd": "COPD (chronic lung disease)", "back_injury": "Back or disc injury",
                   "carpal_tunnel": "Carpal tunnel syndrome", "repetitive_strain": "Repetitive strain injury"}
        return special.get(self.value, self.value.replace("_", " ").capitalize())


class Precaution(StrEnum):
    HIP_POSTERIOR = "hip_posterior"
    HIP_ANTERIOR = "hip_anterior"
    SPINAL = "spinal"
    RESTRICTED_WEIGHT_BEARING = "restricted_weight_bearing"
    STERNAL = "sternal"

    @property
    def label(self) -> str:
        return {
            "hip_posterior": "Posterior hip precautions (no bending past 90°, no crossing legs, no turning the leg in)",
            "hip_anterior": "Anterior hip precautions (no over-stretching the hip backwards or turning the leg out)",
            "spinal": "Spinal precautions (no bending, lifting or twisting)",
            "restricted_weight_bearing": "Restricted weight bearing",
            "sternal": "Sternal precautions (no pushing up with the arms)",
        }[self.value]


class WeakSide(StrEnum):
    """The weaker side (hemiplegia, one-sided weakness); rails go on the other, stronger side."""

    NONE = "none"
    LEFT = "left"
    RIGHT = "right"

    @property
    def label(self) -> str:
        return {"none": "Neither / not one-sided", "left": "Left side weaker", "right": "Right side weaker"}[self.value]

    @property
    def stronger(self) -> str:
        return {"left": "right", "right": "left"}.get(self.value, "")


class Transfers(StrEnum):
    """How the client gets on and off a bed, chair or toilet."""

    INDEPENDENT = "independent"
    SUPERVISION = "supervision"
    ASSISTANCE = "assistance"
    HOIST = "hoist"

    @property
    def label(self) -> str:
        return {"independent": "Independent", "supervision": "Needs someone standing by",
                "assistance": "Needs hands-on help", "hoist": "Hoist"}[self.value]


class Behaviour(StrEnum):
    """Behaviours that change what is safe, for children and adults alike."""

    LEAVES_HOME = "leaves_home"
    NO_DANGER_AWARENESS = "no_danger_awareness"
    CLIMBS = "climbs"

    @property
    def label(self) -> str:
        return {"leaves_home": "Wanders or leaves home unnoticed", "no_danger_awareness": "No awareness of danger",
                "climbs": "Climbs furniture, windows or fences"}[self.value]


class Symptom(StrEnum):
    """Symptoms that change what a measurement means, whatever the diagnosis (REFERENCE §4, §5.7)."""

    FREEZING = "freezing"
    FATIGUE = "fatigue"
    REDUCED_SENSATION = "reduced_sensation"
    HEAT_SENSITIVE = "heat_sensitive"
    SITTING_SUPPORT = "sitting_support"

    @property
    def label(self) -> str:
        return {"freezing": "Freezing of gait (feet stick in doorways and turns)",
                "fatigue": "Fatigue (tires quickly, needs to pace)",
                "reduced_sensation": "Reduced sensation (hands or feet)",
                "heat_sensitive": "Heat makes symptoms worse",
                "sitting_support": "Sits only with support"}[self.value]


class AidUse(StrEnum):
    """When the second mobility aid is used instead of the main one."""

    OUTDOORS = "outdoors"
    PART_TIME = "part_time"

    @property
    def label(self) -> str:
        return {"outdoors": "Outdoors", "part_time": "At night or on bad days"}[self.value]


# Rooms where an outdoor aid (a scooter or wheelchair for outside) is the one that has to fit.
OUTDOOR_ROOM_TYPES = frozenset({"entrance", "outdoor", "garage", "workplace_access"})


@dataclass(frozen=True, slots=True)
class Equipment:
    """Equipment the client already uses, with its rated load (safe working load) where known."""

    name: str
    swl_kg: float | None = None


CLIENT_TAGS = frozenset({
    "wheelchair", "walker", "walking_aid", "scooter", "falls_history", "hip_precautions",
    "knee_replacement", "spinal_precautions", "precautions", "cognitive_impairment", "dementia",
    "low_vision", "hearing_loss", "sensory_loss", "hand_impairment", "stroke", "parkinsons", "ms",
    "sci", "amputation", "lives_alone", "child", "older_adult", "heat_sensitive", "carer_support", "breathless",
    "weak_left", "weak_right", "transfer_help", "hoist", "leaves_home", "no_danger_awareness", "climbs",
    "home_oxygen", "smoker_in_home", "aid_overloaded", "freezing", "fatigue", "sitting_support",
    "equipment_overloaded", "autism", "frailty", "obesity", "back_injury", "cerebral_palsy", "part_time_aid",
})

_SENSORY_LOSS = {Condition.STROKE, Condition.MULTIPLE_SCLEROSIS, Condition.SPINAL_CORD_INJURY,
                 Condition.PERIPHERAL_NEUROPATHY, Condition.BURNS}
_CONDITION_TAGS = {
    Condition.KNEE_REPLACEMENT: "knee_replacement", Condition.STROKE: "stroke",
    Condition.PARKINSONS: "parkinsons", Condition.MULTIPLE_SCLEROSIS: "ms",
    Condition.SPINAL_CORD_INJURY: "sci", Condition.LOWER_LIMB_AMPUTATION: "amputation",
    Condition.DEMENTIA: "dementia", Condition.AUTISM: "autism", Condition.FRAILTY: "frailty",
    Condition.OBESITY: "obesity", Condition.BACK_INJURY: "back_injury", Condition.SPINAL_SURGERY: "back_injury",
    Condition.CEREBRAL_PALSY: "cerebral_palsy",
}


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    relationship: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class ClientProfile:
    """What rules need to know about the person (a subset of the stored client)."""

    date_of_birth: date | None = None
    conditions: frozenset[Condition] = frozenset()
    precautions: frozenset[Precaution] = frozenset()
    mobility_aid: MobilityAid = MobilityAid.NONE
    aid_width_mm: float | None = None
    aid_length_mm: float | None = None
    knee_height_mm: float | None = None
    weight_kg: float | None = None
    falls_last_12_months: int = 0
    cognition: Cognition = Cognition.INTACT
    vision: Sense = Sense.NORMAL
    hearing: Sense = Sense.NORMAL
    lives_alone: bool = False
    has_carers: bool = False
    contacts: tuple[Contact, ...] = field(default=())
    weak_side: WeakSide = WeakSide.NONE
    transfers: Transfers = Transfers.INDEPENDENT
    behaviours: frozenset[Behaviour] = frozenset()
    home_oxygen: bool = False
    household_smoker: bool = False   # someone in the household smokes in the home
    aid_swl_kg: float | None = None  # rated load (safe working load) of the client's own aid
    second_aid: MobilityAid = MobilityAid.NONE   # e.g. a scooter outdoors, a wheelchair at night
    second_aid_use: AidUse = AidUse.OUTDOORS
    symptoms: frozenset[Symptom] = frozenset()
    equipment: tuple[Equipment, ...] = field(default=())

    def overloaded_equipment(self) -> tuple[Equipment, ...]:
        """Equipment rated below the client's weight (REFERENCE §2.14: check every device's rating)."""
        if not self.weight_kg:
            return ()
        return tuple(e for e in self.equipment if e.swl_kg and e.swl_kg < self.weight_kg)

    def for_room(self, room_type: str) -> ClientProfile:
        """The profile that applies in one room: outside, the outdoor aid is the one that has to fit."""
        if self.second_aid is not MobilityAid.NONE and self.second_aid_use is AidUse.OUTDOORS \
                and room_type in OUTDOOR_ROOM_TYPES:
            return replace(self, mobility_aid=self.second_aid, second_aid=MobilityAid.NONE)
        return self

    def part_time(self) -> ClientProfile | None:
        """The profile on the days the part-time aid is used (a wheelchair at night), if there is one."""
        if self.second_aid is MobilityAid.NONE or self.second_aid_use is not AidUse.PART_TIME:
            return None
        return replace(self, mobility_aid=self.second_aid, second_aid=MobilityAid.NONE)

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def measures(self) -> dict[str, float | None]:
        return {"knee_height": self.knee_height_mm, "aid_width": self.aid_width_mm,
                "aid_length": self.aid_length_mm}


# Why hands struggle: the advice says "painful" only where there is a painful condition.
HAND_PAIN = frozenset({Condition.ARTHRITIS, Condition.HAND_INJURY, Condition.CARPAL_TUNNEL, Condition.REPETITIVE_STRAIN})
HAND_WEAKNESS = frozenset({Condition.STROKE, Condition.HAND_INJURY})


def hands_phrase(tags: frozenset[str]) -> str:
    """``{hands}`` in a reason: "painful hands", "weak hands" or "weak or painful hands"."""
    pain, weak = "hand_pain" in tags, "hand_weakness" in tags
    if pain and not weak:
        return "painful hands"
    if weak and not pain:
        return "weak hands"
    return "weak or painful hands"


def hands_phrase_of(profile: ClientProfile) -> str:
    return hands_phrase(frozenset({"hand_pain"} if profile.conditions & HAND_PAIN else set())
                        | frozenset({"hand_weakness"} if profile.conditions & HAND_WEAKNESS else set()))


def client_tags(profile: ClientProfile, on: date) -> frozenset[str]:
    """The closed set of tags (SCHEMA.md) that checklist checks and modifiers test."""
    tags: set[str] = {_CONDITION_TAGS[c] for c in profile.conditions if c in _CONDITION_TAGS}
    aid = profile.mobility_aid
    if aid in (MobilityAid.MANUAL_WHEELCHAIR, MobilityAid.POWERED_WHEELCHAIR):
        tags.add("wheelchair")
    if aid in (MobilityAid.WALKING_FRAME, MobilityAid.ROLLATOR):
        tags.add("walker")
    if aid in (MobilityAid.STICK, MobilityAid.CRUTCHES, MobilityAid.WALKING_FRAME, MobilityAid.ROLLATOR):
        tags.add("walking_aid")
    if aid is MobilityAid.SCOOTER:
        tags.add("scooter")
    if profile.falls_last_12_months >= 1:
        tags.add("falls_history")
    if Precaution.HIP_POSTERIOR in profile.precautions:
        tags.add("hip_precautions")
    if Precaution.SPINAL in profile.precautions:
        tags.add("spinal_precautions")
    if profile.precautions - {Precaution.HIP_ANTERIOR}:
        tags.add("precautions")
    if profile.cognition is not Cognition.INTACT or Condition.DEMENTIA in profile.conditions:
        tags.add("cognitive_impairment")
    if profile.vision is not Sense.NORMAL or profile.conditions & {Condition.MACULAR_DEGENERATION,
                                                                     Condition.GLAUCOMA}:
        tags.add("low_vision")
    if profile.hearing is not Sense.NORMAL:
        tags.add("hearing_loss")
    if profile.conditions & _SENSORY_LOSS:
        tags.add("sensory_loss")
    if profile.conditions & HAND_PAIN:
        tags.add("hand_pain")
    if profile.conditions & HAND_WEAKNESS:
        tags.add("hand_weakness")
    if profile.conditions & (HAND_PAIN | HAND_WEAKNESS):
        tags.add("hand_impairment")
    if Condition.MULTIPLE_SCLEROSIS in profile.conditions or Symptom.HEAT_SENSITIVE in profile.symptoms:
        tags.add("heat_sensitive")
    if Symptom.REDUCED_SENSATION in profile.symptoms:
        tags.add("sensory_loss")
    if Symptom.FREEZING in profile.symptoms:
        tags.add("freezing")
    if Symptom.FATIGUE in profile.symptoms or Condition.MULTIPLE_SCLEROSIS in profile.conditions:
        tags.add("fatigue")  # REFERENCE §4: fatigue is the commonest MS symptom; pacing and sitting for tasks
    if Symptom.SITTING_SUPPORT in profile.symptoms:
        tags.add("sitting_support")
    if profile.overloaded_equipment():
        tags.add("equipment_overloaded")
    if profile.second_aid is not MobilityAid.NONE and profile.second_aid_use is AidUse.PART_TIME:
        tags.add("part_time_aid")
    if profile.conditions & {Condition.HEART_OR_LUNG_DISEASE, Condition.COPD} or profile.home_oxygen:
        tags.add("breathless")  # exertion is limited by breath: pacing and sitting for tasks (REFERENCE §2.5)
    if profile.lives_alone:
        tags.add("lives_alone")
    if profile.weak_side is not WeakSide.NONE:
        tags.add(f"weak_{profile.weak_side.value}")
    if profile.transfers in (Transfers.ASSISTANCE, Transfers.HOIST):
        tags.add("transfer_help")
    if profile.transfers is Transfers.HOIST:
        tags.add("hoist")
    tags |= {b.value for b in profile.behaviours}
    if profile.home_oxygen:
        tags.add("home_oxygen")
    if profile.household_smoker:
        tags.add("smoker_in_home")
    if profile.aid_swl_kg and profile.weight_kg and profile.weight_kg > profile.aid_swl_kg \
            and profile.mobility_aid is not MobilityAid.NONE:
        tags.add("aid_overloaded")  # REFERENCE §2.14: every device's rating is checked against the client
    if profile.has_carers:
        tags.add("carer_support")
    age = profile.age_on(on)
    if age is not None and age < 16:
        tags.add("child")
    if age is not None and age >= 65:
        tags.add("older_adult")
    return frozenset(tags)
