"""The generated part of docs/validation.md: tables of the evaluation, between two markers.

>>> doc = f"intro\\n{BEGIN}\\nold\\n{END}\\nrest\\n"
>>> replace_between(doc, "new\\n") == f"intro\\n{BEGIN}\\nnew\\n{END}\\nrest\\n"
True
"""

from __future__ import annotations

import math

from scripts.validation.evaluate import Evaluation, Verdict, ranks, verdict
from scripts.validation.geography import Observed
from scripts.validation.sites import ASSET, BUILDING, HORIZON, SCENARIO, Catalogue

BEGIN = "<!-- validation:begin -->"
END = "<!-- validation:end -->"
COMMAND = "python -m scripts.validation"

PHRASE = {"agrees": "**agrees**", "partly": "**partly agrees**", "disagrees": "**disagrees**"}

TITLES = {
    "heat_wave": "Heat wave",
    "cold_wave": "Cold wave",
    "wildfire": "Wildfire",
    "drought": "Drought",
    "water_stress": "Water stress",
    "coastal_flood": "Coastal flood",
    "river_flood": "River flood",
    "urban_flood": "Urban flood",
    "typhoon": "Typhoon",
}


def sig(x: float | None, digits: int = 3) -> str:
    """A number to ``digits`` significant figures, plainly written.

    >>> sig(12345.6), sig(0.000123456), sig(0.0), sig(None), sig(2.0)
    ('12300', '0.000123', '0', 'n/a', '2')
    """
    if x is None:
        return "n/a"
    if x == 0:
        return "0"
    decimals = digits - 1 - math.floor(math.log10(abs(x)))
    rounded = round(x, decimals)
    if decimals <= 0:
        return f"{rounded:.0f}"
    return f"{rounded:.{decimals}f}".rstrip("0").rstrip(".")


def _million(krw: float) -> str:
    return sig(krw / 1e6)


def replace_between(doc: str, body: str) -> str:
    """``doc`` with the text between the markers replaced by ``body``."""
    head, sep, rest = doc.partition(BEGIN + "\n")
    if not sep or END not in rest:
        raise ValueError(f"markers {BEGIN} ... {END} not found")
    _, _, tail = rest.partition(END)
    return head + BEGIN + "\n" + body + END + tail


def _summary(cat: Catalogue, ev: Evaluation) -> list[str]:
    names = {s.key: s.name for s in cat.sites}
    lines = [
        "| hazard | the record: should rank high (model rank) | should rank low (model rank) "
        "| model | high-low pairs in order / tied / reversed |",
        "|---|---|---|---|---|",
    ]
    for hazard in ev.hazards:
        rec = cat.record.get(hazard)
        if rec is None:
            lines.append(f"| {TITLES.get(hazard, hazard)} | not assessed | | | |")
            continue
        rows = ev.by_hazard(hazard)
        v = verdict(rec, rows)
        r = ranks(rows)
        high = "; ".join(f"{names[k]} ({r[k]})" for k in rec.high)
        low = "; ".join(f"{names[k]} ({r[k]})" for k in rec.low)
        lines.append(
            f"| {TITLES.get(hazard, hazard)} | {high} | {low} | {PHRASE[v.word]} "
            f"| {v.in_order} / {v.tied} / {v.reversed} of {v.pairs} |"
        )
    return lines


def _rank_matrix(cat: Catalogue, ev: Evaluation) -> list[str]:
    all_ranks = {h: ranks(ev.by_hazard(h)) for h in ev.hazards}
    head = " | ".join(TITLES.get(h, h) for h in ev.hazards)
    lines = [f"| site | {head} |", "|---|" + "---:|" * len(ev.hazards)]
    for s in cat.sites:
        cells = []
        for h in ev.hazards:
            rec = cat.record.get(h)
            mark = ""
            if rec is not None and s.key in rec.high:
                mark = " ▲"
            elif rec is not None and s.key in rec.low:
                mark = " ▽"
            cells.append(f"{all_ranks[h][s.key]}{mark}")
        lines.append(f"| {s.name} | " + " | ".join(cells) + " |")
    return lines


def _hazard_table(cat: Catalogue, ev: Evaluation, hazard: str) -> list[str]:
    rows = ev.by_hazard(hazard)
    r = ranks(rows)
    rec = cat.record.get(hazard)
    key = next((o.intensity_key for o in rows if o.intensity_key), None)
    unit = next((o.intensity_unit for o in rows if o.intensity_key == key), "")
    loss = "expected annual loss" if rows and rows[0].kind == "acute" else "annual cost"
    title = TITLES.get(hazard, hazard)
    lines = [f"#### {title} (`{hazard}`)", ""]
    if rec is not None:
        v = verdict(rec, rows)
        said = f"The model {PHRASE[v.word]}: {_pairs_text(v)}"
        lines += [f"The record: {rec.says}", "", said, ""]
    lines += [
        f"| rank | site | today: `{key}` ({unit}) | today: {loss} (million KRW) "
        f"| {SCENARIO} {HORIZON} (million KRW) | score today | record |",
        "|---:|---|---:|---:|---:|---:|---|",
    ]
    for o in sorted(rows, key=lambda o: (r[o.site], o.site)):
        value = sig(o.intensity) if o.intensity_key == key else "n/a"
        said = ""
        if rec is not None:
            said = "high" if o.site in rec.high else "low" if o.site in rec.low else ""
        name = cat.site(o.site).name
        score = "n/a" if o.score_today is None else str(o.score_today)
        lines.append(
            f"| {r[o.site]} | {name} | {value} | {_million(o.loss_today)} "
            f"| {_million(o.loss_future)} | {score} | {said} |"
        )
    return [*lines, ""]


def _pairs_text(v: Verdict) -> str:
    highs = ", ".join(str(r) for r in v.high_ranks)
    return (
        f"of {v.pairs} pairs (a site the record puts high, one it puts low), {v.in_order} are in "
        f"order, {v.tied} tied and {v.reversed} reversed on today's loss; the sites the record "
        f"puts high rank {highs} of {v.n_sites} (agreement also asks for the upper half)."
    )


def _sites(cat: Catalogue) -> list[str]:
    lines = ["| site | lat, lon | event | source |", "|---|---|---|---|"]
    for s in cat.sites:
        for i, e in enumerate(s.events):
            where = f"{s.name} ({s.name_ko}); {s.where}" if i == 0 else ""
            coords = f"{s.lat:.4f}, {s.lon:.4f}" if i == 0 else ""
            c = e.cite
            src = f"[{c.title}]({c.url}), {c.publisher}, {c.date}"
            hz = ", ".join(f"`{h}`" for h in e.hazards)
            lines.append(f"| {where} | {coords} | {e.date}: {e.what} ({hz}) | {src} |")
    return lines


def _placements(cat: Catalogue, ev: Evaluation, obs: dict[str, Observed] | None) -> list[str]:
    head = "| site | matched municipality | model: distance to coast (m) "
    rule = "|---|---|---:"
    if obs is not None:
        head += "| observed: GSHHG shoreline (km) "
        rule += "|---:"
    head += "| model: ground elevation (m) | model: distance to river (m) "
    rule += "|---:|---:"
    if obs is not None:
        head += "| observed: WDBII major river (km) "
        rule += "|---:"
    lines = [head + "|", rule + "|"]
    for p in ev.placements:
        cells = [cat.site(p.site).name, p.municipality, sig(p.inputs["distance_to_coast_m"])]
        if obs is not None:
            cells.append(sig(obs[p.site].coast_km))
        cells += [sig(p.inputs["ground_elevation_m"]), sig(p.inputs["distance_to_river_m"])]
        if obs is not None:
            cells.append(sig(obs[p.site].river_km))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def render(cat: Catalogue, ev: Evaluation, obs: dict[str, Observed] | None = None) -> str:
    """The generated section (without the markers); ``obs`` adds the observed geography."""
    building = ", ".join(f"{k} {v}" for k, v in {**BUILDING, **ASSET}.items())
    out = [
        f"Generated by `{COMMAND}` (or `make validation`) from `scripts/validation/sites.toml`; "
        f"model `{ev.model_version}`. Do not edit by hand: rerun the command.",
        "",
        f"One building at every site: {building}. Today = the report's `baseline`; "
        f"the future column is {SCENARIO} {HORIZON}. Losses are the report's `eal` (acute "
        "hazards) or `annual_cost` (chronic hazards) in million KRW; sites are ranked on "
        "today's loss, largest first, equal losses sharing a rank.",
        "",
        "### Does the model follow the record?",
        "",
        *_summary(cat, ev),
        "",
        "### Ranks of every site (▲ the record puts it high, ▽ low)",
        "",
        *_rank_matrix(cat, ev),
        "",
        "### Per hazard",
        "",
    ]
    for hazard in ev.hazards:
        out += _hazard_table(cat, ev, hazard)
    out += [
        "### Where the model puts each site",
        "",
        "The report's `location.matched` and `site` inputs"
        + (
            ", beside distances measured on the shared observations "
            "(`../shared/data/coast-rivers`: GSHHG 2.3.6 full-resolution shoreline, WDBII rivers)"
            if obs is not None
            else " (the shared observations were not found, so no observed distances)"
        )
        + ".",
        "",
        *_placements(cat, ev, obs),
        "",
        "### Sites and events",
        "",
        *_sites(cat),
        "",
    ]
    return "\n".join(out)


def verdict_words(cat: Catalogue, ev: Evaluation) -> dict[str, str]:
    """``{hazard: "agrees" | "partly" | "disagrees"}`` for the hazards with a record."""
    return {h: verdict(r, ev.by_hazard(h)).word for h, r in cat.record.items()}
