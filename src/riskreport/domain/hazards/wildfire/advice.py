"""Wildfire: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.wildfire.inputs import (
    FIRE_PRONE_PROBABILITY,
    FireInputs,
    given_forest_m,
)
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "near_forest": ("The building stands close to forest.", "건물이 숲과 가깝습니다."),
    # Said where the landscape's burn probability (satellite detections) is at least twice the
    # national mean: observed, whatever the cause (the east coast's dry spring winds, or not).
    "fire_prone_region": (
        "The surrounding landscape burns at least twice as often as Korea's average "
        "(satellite fire detections, 2020-2023).",
        "주변 경관이 국내 평균보다 두 배 이상 자주 불탑니다(2020-2023년 위성 화재 탐지).",
    ),
    "flammable_structure": (
        "The structure burns (wood or foam-cored panels).",
        "목조나 단열재 샌드위치 패널처럼 불에 타는 구조입니다.",
    ),
    "drier_climate": (
        "Droughts and fire weather become more frequent.",
        "가뭄과 산불 기상이 잦아집니다.",
    ),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: FireInputs, c: int) -> list[str]:
    out: list[str] = []
    out += ["near_forest"] if given_forest_m(s)[0] < 200 else []  # NaN (unknown) compares False
    prone = inputs.landscape_probability[0] >= FIRE_PRONE_PROBABILITY
    out += ["fire_prone_region"] if prone else []
    out += ["flammable_structure"] if int(s.structure[0]) in (3, 5) else []
    out += ["drier_climate"] if h.intensity["frequency_multiplier"].values[0, c] > 1.2 else []
    return out


MEASURES = (
    Measure(
        "wildfire",
        "near_forest",
        "defensible-space",
        "Clear a defensible space",
        "방화 공간 확보",
        "Keep 10-30 m around the building free of dead wood and dense brush.",
        "건물 주변 10-30 m의 마른 나무와 덤불을 정리하십시오.",
        ("wildfire",),
    ),
    Measure(
        "wildfire",
        "flammable_structure",
        "ember-resistant-envelope",
        "Ember-resistant envelope",
        "불티에 강한 외피",
        "Replace combustible cladding and roofing; screen vents against embers.",
        "불에 타는 외장재와 지붕재를 바꾸고 환기구에 불티 차단망을 다십시오.",
        ("wildfire",),
    ),
    Measure(
        "wildfire",
        "*",
        "fire-readiness",
        "Wildfire readiness",
        "산불 대비",
        "Install outdoor hydrants or sprinklers and plan evacuation in the dry spring season.",
        "옥외 소화전이나 살수 설비를 갖추고 봄철 건조기 대피 계획을 세우십시오.",
        ("wildfire",),
    ),
)
