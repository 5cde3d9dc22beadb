"""The web page's words in Korean and English, and how a request picks its language.

Templates read the catalog through ``texts(lang)``; the page's scripts get the same dictionary as
JSON, so a message never exists in only one language::

    >>> texts("en")["submit"]
    'Create report'
    >>> label("hazard", "river_flood", "ko")
    '하천 홍수'

Option labels (hazards, structures, uses, scenarios) fall back to the raw key when the request
schema grows a value the catalog does not know yet, so the page never breaks on a new option.
"""

from __future__ import annotations

from typing import Literal, get_args

from riskreport.domain.hazards.registry import REGISTRY

Lang = Literal["ko", "en"]
LANGUAGES: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "ko"

# key -> (Korean, English)
_TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("기후 물리적 리스크 보고서", "Climate risk report"),
    "app_tagline": (
        "건물의 물리적 기후 리스크를 시나리오별로 분석합니다.",
        "Physical climate risk of a building, scenario by scenario.",
    ),
    "nav_new": ("새 보고서", "New report"),
    "nav_list": ("보고서 목록", "Reports"),
    "lang_other": ("English", "한국어"),
    "server_default": ("기본값", "Default"),
    # -- form ---------------------------------------------------------------------------------
    "form_title": ("새 보고서 만들기", "Create a report"),
    "section_location": ("위치", "Location"),
    "location_mode_address": ("주소", "Address"),
    "location_mode_coords": ("위도·경도", "Latitude / longitude"),
    "address": ("주소", "Address"),
    "address_hint": (
        "시·군·구까지 적으면 됩니다. 예: 부산광역시 해운대구",
        "City and district are enough, e.g. 부산광역시 해운대구",
    ),
    "lat": ("위도", "Latitude"),
    "lon": ("경도", "Longitude"),
    "section_building": ("건물", "Building"),
    "structure": ("구조", "Structure"),
    "year_built": ("준공 연도", "Year built"),
    "floors_above": ("지상 층수", "Floors above ground"),
    "floors_below": ("지하 층수", "Floors below ground"),
    "use": ("용도", "Use"),
    "floor_area_m2": ("연면적 (m²)", "Floor area (m²)"),
    "ground_elevation_m": ("지반고 (m, 해발)", "Ground elevation (m above sea level)"),
    "first_floor_height_m": ("1층 바닥 높이 (m, 지면 기준)", "First-floor height above ground (m)"),
    "has_piloti": ("필로티 구조", "Open ground storey (piloti)"),
    "flood_barrier_height_m": ("차수판 높이 (m)", "Flood barrier height (m)"),
    "distance_to_river_m": ("하천까지 거리 (m)", "Distance to a river (m)"),
    "distance_to_coast_m": ("해안까지 거리 (m)", "Distance to the coast (m)"),
    "distance_to_forest_m": ("산림까지 거리 (m)", "Distance to a forest (m)"),
    "more_details": ("세부 정보 더 보기 (선택)", "More details (optional)"),
    "range_hint": ("{low}–{high}", "{low}–{high}"),
    "yes": ("예", "Yes"),
    "no": ("아니요", "No"),
    "section_asset": ("자산", "Asset"),
    "replacement_value_krw": ("재조달 가액 (원)", "Replacement value (KRW)"),
    "contents_value_krw": ("내부 자산 가액 (원)", "Contents value (KRW)"),
    "annual_revenue_krw": ("연 매출 (원)", "Annual revenue (KRW)"),
    "insured_fraction": ("보험 가입 비율", "Insured share"),
    "section_analysis": ("분석", "Analysis"),
    "scenarios": ("시나리오", "Scenarios"),
    "horizons": ("분석 시점", "Horizons"),
    "hazards": ("재해", "Hazards"),
    "narrative": ("서술 방식", "Narrative"),
    "language": ("보고서 언어", "Report language"),
    "submit": ("보고서 만들기", "Create report"),
    "submitting": ("제출 중…", "Submitting…"),
    "defaults_note": (
        "비워 둔 항목은 문서화된 기본값을 쓰며, 보고서에 가정으로 표시됩니다.",
        "Fields left empty use documented defaults, marked as assumptions in the report.",
    ),
    # -- errors -------------------------------------------------------------------------------
    "error_validation": ("표시된 항목을 고쳐 주세요.", "Please correct the highlighted fields."),
    "error_busy": (
        "서비스가 혼잡합니다. {seconds}초 후 다시 시도합니다.",
        "The service is busy; retrying in {seconds} s.",
    ),
    "error_network": (
        "서비스에 연결할 수 없습니다. 연결을 확인한 뒤 다시 시도해 주세요.",
        "The service cannot be reached. Check the connection and try again.",
    ),
    "error_unexpected": (
        "요청을 처리하지 못했습니다: {message}",
        "The request could not be processed: {message}",
    ),
    "error_failed": ("분석에 실패했습니다: {reason}", "The analysis failed: {reason}"),
    "ask_api_key": (
        "이 서비스는 API 키가 필요합니다. 키를 입력해 주세요 (브라우저를 닫을 때까지 기억합니다).",
        "This service needs an API key. Enter it (remembered until the browser closes).",
    ),
    "error_timed_out": (
        "분석이 허용된 시간을 넘겨 중단되었습니다. {reason}",
        "The analysis ran longer than allowed and was stopped. {reason}",
    ),
    "error_cancelled": ("보고서 작성이 취소되었습니다.", "The report was cancelled."),
    "error_not_found": ("이 보고서를 찾을 수 없습니다.", "There is no report with this id."),
    "error_stream": (
        "진행 상황 연결이 끊겨 다시 연결하는 중입니다…",
        "Lost the progress stream; reconnecting…",
    ),
    # Korean wording of the API's validation errors, by pydantic error type; the English page
    # shows the API's own message. Placeholders are the error's ``ctx`` values.
    "v_missing": ("필수 항목입니다.", "Field required."),
    "v_greater_than_equal": ("{ge} 이상이어야 합니다.", "Must be at least {ge}."),
    "v_greater_than": ("{gt}보다 커야 합니다.", "Must be greater than {gt}."),
    "v_less_than_equal": ("{le} 이하여야 합니다.", "Must be at most {le}."),
    "v_less_than": ("{lt}보다 작아야 합니다.", "Must be less than {lt}."),
    "v_int_parsing": ("정수를 입력해 주세요.", "Enter a whole number."),
    "v_int_from_float": ("정수를 입력해 주세요.", "Enter a whole number."),
    "v_float_parsing": ("숫자를 입력해 주세요.", "Enter a number."),
    "v_too_short": ("하나 이상 선택해 주세요.", "Choose at least one."),
    "v_string_too_short": ("너무 짧습니다.", "Too short."),
    "v_enum": ("허용되지 않는 값입니다.", "Not an allowed value."),
    "v_literal_error": ("허용되지 않는 값입니다.", "Not an allowed value."),
    "retry": ("다시 시도", "Try again"),
    "retry_now": ("지금 다시 시도", "Retry now"),
    "retry_unavailable": (
        "원래 입력을 이 브라우저에서 찾을 수 없어 새 양식을 엽니다.",
        "The original input is not stored in this browser; opening a new form.",
    ),
    # -- job page -----------------------------------------------------------------------------
    "job_title": ("보고서", "Report"),
    "maps_in_use": (
        "재해 지도 사용: {hazards} (지도가 덮는 경우 지도의 침수 깊이, 방재 기준은 모델 값)",
        "Hazard maps in use: {hazards} (the maps' flood depths where they cover the site; "
        "the model's flood defences still apply)",
    ),
    "status": ("상태", "Status"),
    "elapsed": ("경과 시간", "Elapsed"),
    "seconds_short": ("{seconds}초", "{seconds} s"),
    "cancel": ("취소", "Cancel"),
    "download_pdf": ("PDF 내려받기", "Download PDF"),
    "download_md": ("Markdown", "Markdown"),
    "download_json": ("JSON", "JSON"),
    "open_html": ("새 창에서 열기", "Open in a new tab"),
    "new_report": ("새 보고서", "New report"),
    "report_frame": ("보고서 본문", "Report document"),
    # -- list page ----------------------------------------------------------------------------
    "list_title": ("최근 보고서", "Recent reports"),
    "filter_status": ("상태", "Status"),
    "filter_all": ("전체", "All"),
    "col_created": ("생성 시각", "Created"),
    "col_status": ("상태", "Status"),
    "col_location": ("위치", "Location"),
    "col_grade": ("등급", "Grade"),
    "col_stage": ("단계", "Stage"),
    "col_id": ("ID", "ID"),
    "load_more": ("더 보기", "Load more"),
    "list_empty": ("조건에 맞는 보고서가 없습니다.", "No reports match."),
    "loading": ("불러오는 중…", "Loading…"),
}

# Labels of option values, grouped by kind: (Korean, English).
_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "status": {
        "queued": ("대기 중", "Queued"),
        "running": ("진행 중", "Running"),
        "succeeded": ("완료", "Finished"),
        "failed": ("실패", "Failed"),
        "cancelled": ("취소됨", "Cancelled"),
        "timed_out": ("시간 초과", "Timed out"),
        "busy": ("혼잡, 재시도 대기", "Service busy; waiting"),
    },
    "stage": {
        "queued": ("차례를 기다리는 중", "Waiting for a free slot"),
        "running": ("시작하는 중", "Starting"),
        "inputs": ("입력 확인", "Checking the inputs"),
        "hazards": ("재해별 위험 계산", "Computing hazards"),
        "narrative": ("보고서 문안 작성", "Writing the narrative"),
        "documents": ("문서 생성 (HTML·PDF)", "Building the documents (HTML, PDF)"),
        "done": ("완료", "Done"),
    },
    # The registry's hazards by their folders' names, and one older word.
    "hazard": {
        **{h.key: (h.names.ko, h.names.en) for h in REGISTRY},
        "sea_level_rise": ("해수면 상승", "Sea-level rise"),
    },
    "structure": {
        "reinforced_concrete": ("철근콘크리트", "Reinforced concrete"),
        "steel": ("철골", "Steel"),
        "steel_frame": ("철골", "Steel frame"),
        "masonry": ("조적", "Masonry"),
        "light_steel": ("경량철골", "Light steel"),
        "sandwich_panel": ("샌드위치 패널", "Sandwich panel"),
        "wood": ("목조", "Wood"),
        "timber": ("목조", "Timber"),
        "precast_concrete": ("프리캐스트 콘크리트", "Precast concrete"),
        "other": ("기타", "Other"),
    },
    "use": {
        "office": ("업무시설", "Office"),
        "residential": ("주거", "Residential"),
        "commercial": ("상업·판매시설", "Commercial"),
        "retail": ("판매시설", "Retail"),
        "industrial": ("공장·산업시설", "Industrial"),
        "warehouse": ("창고", "Warehouse"),
        "logistics": ("물류시설", "Logistics"),
        "hotel": ("숙박시설", "Hotel"),
        "hospital": ("의료시설", "Hospital"),
        "school": ("교육시설", "School"),
        "data_center": ("데이터센터", "Data center"),
        "public": ("공공시설", "Public"),
        "mixed": ("복합용도", "Mixed use"),
        "other": ("기타", "Other"),
    },
    "narrative": {
        "template": ("템플릿 (정확한 수치)", "Template (exact numbers)"),
        "llm": ("언어 모델 (수치 검증)", "Language model (numbers checked)"),
    },
    "language": {"ko": ("한국어", "Korean"), "en": ("영어", "English")},
}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "ko" else pair[1]


def texts(lang: Lang) -> dict[str, str]:
    """Every UI sentence in ``lang``; placeholders like ``{seconds}`` are filled by the page."""
    return {key: _pick(pair, lang) for key, pair in _TEXTS.items()}


def label(kind: str, value: str, lang: Lang) -> str:
    """The human label of an option value (``label("status", "timed_out", "en")``)."""
    pair = _LABELS.get(kind, {}).get(value)
    return _pick(pair, lang) if pair else value


def labels(lang: Lang) -> dict[str, dict[str, str]]:
    """All option labels in ``lang``, by kind, for the page's scripts."""
    return {kind: {k: _pick(v, lang) for k, v in table.items()} for kind, table in _LABELS.items()}


def parse_lang(value: str | None) -> Lang | None:
    """``"en"`` / ``"en-US"`` / ``"ko"`` -> the language, anything else -> ``None``."""
    if not value:
        return None
    head = value.strip().lower()[:2]
    for lang in LANGUAGES:
        if head == lang:
            return lang
    return None


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> Lang:
    """The page language: ``?lang=`` beats the cookie, which beats ``Accept-Language``.

    >>> negotiate(None, None, "en-GB,en;q=0.9,ko;q=0.5")
    'en'
    """
    for candidate in (query, cookie):
        lang = parse_lang(candidate)
        if lang:
            return lang
    if accept_language:
        # The first supported language in the header's order; q-values are in practice
        # already sorted by browsers, so order is enough here.
        for part in accept_language.split(","):
            lang = parse_lang(part.split(";")[0])
            if lang:
                return lang
    return DEFAULT_LANG
