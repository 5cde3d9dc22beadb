"""The report form, derived from the request schema so the page offers exactly what the API takes.

Choices (structures, uses, scenarios, horizons, hazards, narrative writers, languages), defaults
and required fields come from ``ReportRequest``'s JSON schema; the catalog only adds words. Use::

    spec = form_spec("en")
    spec.sections[0].fields[0].path     # "building_info.structure"

A field the schema adds later shows up on the form by itself (as text, a number, a select or a
set of check boxes); nested objects such as ``analysis_params.overrides`` are left to the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, Literal

from pydantic import ValidationError

from riskreport.analysis.request import ReportRequest
from riskreport.interfaces.web.catalog import Lang, label, texts

FieldKind = Literal["text", "select", "checkboxes"]
ValueType = Literal["string", "integer", "number", "boolean"]

_VALUE_TYPES: Mapping[str, ValueType] = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}
# Which request sections the form shows, in order, with their catalog title.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("building_info", "section_building"),
    ("asset_info", "section_asset"),
    ("analysis_params", "section_analysis"),
)
# Catalog kind of the labels of each field's choices.
CHOICE_LABELS: Mapping[str, str] = {
    "building_info.structure": "structure",
    "building_info.use": "use",
    "analysis_params.hazards": "hazard",
    "analysis_params.narrative": "narrative",
    "language": "language",
}
# Fields that stay on one line of their own (long check-box rows).
WIDE: frozenset[str] = frozenset({"analysis_params.hazards"})
# Fields shown at once; the other fields of a section sit under "more details".
PRIMARY: frozenset[str] = frozenset(
    {
        "building_info.structure",
        "building_info.year_built",
        "building_info.floors_above",
        "building_info.floors_below",
        "building_info.use",
        "building_info.floor_area_m2",
        "asset_info.replacement_value_krw",
        "asset_info.contents_value_krw",
        "asset_info.annual_revenue_krw",
        "asset_info.insured_fraction",
        "analysis_params.scenarios",
        "analysis_params.horizons",
        "analysis_params.hazards",
        "analysis_params.narrative",
        "language",
    }
)
# Lists of free integers (horizon years) are offered as check boxes of these values, plus the
# schema's defaults; any other year can still be sent through the JSON API.
SUGGESTED: Mapping[str, tuple[int, ...]] = {
    "analysis_params.horizons": (2030, 2040, 2050, 2070, 2100),
}


@dataclass(frozen=True, slots=True)
class FormField:
    path: str
    label: str
    kind: FieldKind
    value_type: ValueType
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    default_text: str = ""
    default_values: frozenset[str] = frozenset()
    placeholder: str = ""
    hint: str = ""
    wide: bool = False
    primary: bool = True


@dataclass(frozen=True, slots=True)
class FormSection:
    path: str
    title: str
    fields: tuple[FormField, ...] = field(default=())

    @property
    def primary(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if f.primary)

    @property
    def more(self) -> tuple[FormField, ...]:
        return tuple(f for f in self.fields if not f.primary)


@dataclass(frozen=True, slots=True)
class FormSpec:
    location: Mapping[str, FormField]
    sections: tuple[FormSection, ...]


@cache
def _schema() -> dict[str, Any]:
    # The schema is a pure function of the model; computed once per process, on first use.
    return ReportRequest.model_json_schema()


def _resolve(node: Mapping[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` and unwrap ``anyOf [X, null]`` / single ``allOf``; keep outer keys."""
    schema = _schema()
    out = dict(node)
    while True:
        if "$ref" in out:
            name = out.pop("$ref").rsplit("/", 1)[-1]
            out = {**schema.get("$defs", {}).get(name, {}), **out}
            continue
        for key in ("anyOf", "oneOf"):
            options = [o for o in out.get(key, []) if o.get("type") != "null"]
            if key in out and len(options) == 1:
                del out[key]
                out = {**options[0], **out}
                break
        else:
            if "allOf" in out and len(out["allOf"]) == 1:
                inner = out.pop("allOf")[0]
                out = {**inner, **out}
                continue
            return out


def _value_type(node: Mapping[str, Any]) -> ValueType | None:
    kind = _VALUE_TYPES.get(str(node.get("type")))
    if kind is not None:
        return kind
    enum = node.get("enum")
    if enum:
        if all(isinstance(v, int) and not isinstance(v, bool) for v in enum):
            return "integer"
        if all(isinstance(v, str) for v in enum):
            return "string"
    if "const" in node:
        return "string" if isinstance(node["const"], str) else "integer"
    return None


def _choices(node: Mapping[str, Any]) -> list[Any]:
    if "enum" in node:
        return list(node["enum"])
    if "const" in node:
        return [node["const"]]
    found: list[Any] = []
    for option in node.get("anyOf", []) + node.get("oneOf", []):
        found.extend(_choices(_resolve(option)))
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        # Won amounts are easier to check with separators; the page strips them before sending.
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return str(value)


@cache
def _starting_values() -> dict[str, Any]:
    """The schema's example request with every default filled in (default factories too)."""
    examples = _schema().get("examples") or [{}]
    try:
        return ReportRequest.model_validate(examples[0]).model_dump(mode="json")
    except ValidationError:
        # No usable example: the fields start from their schema defaults alone.
        return {}


def _example(path: str) -> Any:
    """The starting value at ``path``: the example's, else the model's default."""
    node: Any = _starting_values()
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _field(path: str, node: Mapping[str, Any], required: bool, lang: Lang) -> FormField | None:
    node = _resolve(node)
    words = texts(lang)
    name = path.rsplit(".", 1)[-1]
    title = words.get(name) or str(node.get("title") or name)
    hint = words.get(f"{name}_hint", "")
    # The form starts from the schema's example request: a sensible building, ready to send.
    example = _example(path)
    default = example if example is not None else node.get("default")
    kind_of_labels = CHOICE_LABELS.get(path, name)
    if node.get("type") == "array":
        items = _resolve(node.get("items", {}))
        values = _choices(items)
        value_type = _value_type(items)
        if path in SUGGESTED:
            values = sorted({*SUGGESTED[path], *(v for v in default or [] if isinstance(v, int))})
            value_type = "integer"
        if not values or value_type is None:
            return None  # free-form lists stay with the API (JSON)
        return FormField(
            path=path,
            label=title,
            kind="checkboxes",
            value_type=value_type,
            required=required,
            choices=tuple((str(v), label(kind_of_labels, str(v), lang)) for v in values),
            default_values=frozenset(str(v) for v in (default or [])),
            wide=path in WIDE,
            primary=path in PRIMARY,
        )
    value_type = _value_type(node)
    if value_type is None:
        return None  # objects (overrides) and other shapes are for the JSON API
    values = _choices(node)
    if value_type == "boolean":
        return FormField(
            path=path,
            label=title,
            kind="select",
            value_type="boolean",
            choices=(("true", words["yes"]), ("false", words["no"])),
            default_text="" if default is None else str(default).lower(),
            hint=hint,
            primary=path in PRIMARY,
        )
    if values:
        return FormField(
            path=path,
            label=title,
            kind="select",
            value_type=value_type,
            required=required or default is not None,
            choices=tuple((str(v), label(kind_of_labels, str(v), lang)) for v in values),
            default_text=_text(default),
            primary=path in PRIMARY,
        )
    return FormField(
        path=path,
        label=title,
        kind="text",
        value_type=value_type,
        required=required,
        default_text=_text(default),
        placeholder=_placeholder(node),
        hint=hint or _range_hint(node, words),
        primary=path in PRIMARY,
    )


def _range_hint(node: Mapping[str, Any], words: Mapping[str, str]) -> str:
    """A bounds hint such as ``1800–2100``, so people see the limits before the API does."""
    low = node.get("minimum", node.get("exclusiveMinimum"))
    high = node.get("maximum", node.get("exclusiveMaximum"))
    if low is None or high is None or high >= 1e9:
        return ""
    return words["range_hint"].format(low=_text(low), high=_text(high))


def _placeholder(node: Mapping[str, Any]) -> str:
    examples = node.get("examples")
    if isinstance(examples, list) and examples:
        return str(examples[0])
    return ""


def _section(path: str, title_key: str, lang: Lang) -> FormSection | None:
    schema = _schema()
    node = schema.get("properties", {}).get(path)
    if node is None:
        return None
    node = _resolve(node)
    required = set(node.get("required", []))
    fields = []
    for name, child in node.get("properties", {}).items():
        made = _field(f"{path}.{name}", child, name in required, lang)
        if made is not None:
            fields.append(made)
    return FormSection(path=path, title=texts(lang)[title_key], fields=tuple(fields))


def _location(lang: Lang) -> dict[str, FormField]:
    words = texts(lang)
    return {
        "address": FormField(
            path="target_location.address",
            label=words["address"],
            kind="text",
            value_type="string",
            required=True,
            default_text=str(_example("target_location.address") or ""),
            placeholder="부산광역시 해운대구",
            hint=words["address_hint"],
            wide=True,
        ),
        "lat": FormField(
            path="target_location.lat",
            label=words["lat"],
            kind="text",
            value_type="number",
            required=True,
            placeholder="35.1631",
        ),
        "lon": FormField(
            path="target_location.lon",
            label=words["lon"],
            kind="text",
            value_type="number",
            required=True,
            placeholder="129.1635",
        ),
    }


@cache
def form_spec(lang: Lang) -> FormSpec:
    """The form in ``lang``: location (address or coordinates), then one section per group."""
    sections = [s for path, key in SECTIONS if (s := _section(path, key, lang)) is not None]
    top = _schema().get("properties", {})
    if "language" in top:
        language = _field("language", top["language"], False, lang)
        if language is not None:
            # The report language follows the page language unless the person picks another.
            language = replace(language, default_text=lang)
            last = sections[-1]
            sections[-1] = FormSection(last.path, last.title, (*last.fields, language))
    return FormSpec(location=_location(lang), sections=tuple(sections))
