"""Indicator definitions as data: the one source of the API, the exports and docs/indicators.md.

Each indicator has a stable `code` (the column name in every output), a name in Turkish and
English, a definition, a formula, a unit, whether it may rest on an estimated population
(`estimate`), caveats, and the YEEP theme it serves. `rests_on` names the counts a value is
derived from: when any of them is suppressed (1..k-1), the value is suppressed too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from app.models import AgeBand, CategoryGroup, Gender

THEMES = {
    "public_space": {"tr": "Kamusal alanda güvenlik", "en": "Safety in public space"},
    "transport": {"tr": "Ulaşım", "en": "Transport"},
    "lighting": {"tr": "Aydınlatma", "en": "Lighting"},
    "service_access": {"tr": "Hizmetlere erişim", "en": "Access to services"},
    "municipal_response": {"tr": "Belediyenin yanıtı", "en": "Municipal response"},
}

# Units are data too: English in the definitions, Turkish for the dashboard and docs.
UNIT_TR = {
    "count": "sayı",
    "per km²": "km² başına",
    "per 1,000 women": "1.000 kadın başına",
    "share (0–1)": "pay (0–1)",
    "score 1–5": "puan 1–5",
    "days": "gün",
    "percent": "yüzde",
    "metres": "metre",
    "z-score": "z değeri",
    "class": "sınıf",
}

GROUP_THEME = {
    CategoryGroup.lighting: "lighting",
    CategoryGroup.transport: "transport",
    CategoryGroup.harassment: "public_space",
    CategoryGroup.environment: "public_space",
    CategoryGroup.infrastructure: "public_space",
    CategoryGroup.other: "public_space",
}
GROUP_NAMES = {
    CategoryGroup.lighting: ("aydınlatma", "lighting"),
    CategoryGroup.transport: ("ulaşım", "transport"),
    CategoryGroup.harassment: ("taciz ve kişisel güvenlik", "harassment and personal safety"),
    CategoryGroup.environment: ("yapılı çevre (ıssız alan, kör nokta, park)", "built environment"),
    CategoryGroup.infrastructure: ("altyapı (kaldırım, geçit)", "infrastructure"),
    CategoryGroup.other: ("diğer", "other"),
}
GENDER_NAMES = {
    Gender.woman: ("kadın", "women"),
    Gender.man: ("erkek", "men"),
    Gender.other: ("diğer", "other"),
    Gender.undisclosed: ("belirtilmemiş", "not stated"),
}
AGE_NAMES = {
    band: (band.value.replace("_", "–").replace("under–18", "18 altı"), band.value)
    for band in AgeBand
}
AGE_NAMES[AgeBand.undisclosed] = ("belirtilmemiş", "not stated")
AGE_NAMES[AgeBand.age_65_plus] = ("65 ve üstü", "65 and over")
AGE_NAMES[AgeBand.under_18] = ("18 yaş altı", "under 18")

PERIOD_NOTE = (
    "Counted over the published reports (never pending, rejected, merged, hidden or deleted "
    "ones) whose date of occurrence falls in the period and that match the filters "
    "(category group, time of day)."
)
SMALL_CELL = "Suppressed (null, marked *_suppressed) when the count is between 1 and k-1."


@dataclass(frozen=True)
class Indicator:
    code: str
    name_tr: str
    name_en: str
    definition: str
    formula: str
    unit: str
    theme: str
    estimate: bool = False
    caveats: str = ""
    rests_on: tuple[str, ...] = field(default_factory=tuple)
    kind: str = "value"  # "count" (a cell subject to suppression), "value" or "class"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["name"] = {"tr": data.pop("name_tr"), "en": data.pop("name_en")}
        data["rests_on"] = list(self.rests_on)
        data["theme_name"] = THEMES[self.theme]
        data["unit_name"] = {"tr": UNIT_TR[self.unit], "en": self.unit}
        return data


def _indicators() -> list[Indicator]:
    items = [
        Indicator(
            "reports",
            "Yayımlanan bildirimler",
            "Published reports",
            f"Reports in the mahalle. {PERIOD_NOTE} Reports placed by choosing a mahalle (no "
            "map point) count here.",
            "count(report)",
            "count",
            "public_space",
            caveats=f"{SMALL_CELL} Also withheld when its sensitive part is between 1 and k-1, "
            "since the non-sensitive part is public as points.",
            kind="count",
        ),
        Indicator(
            "sensitive_reports",
            "Hassas bildirimler",
            "Sensitive reports",
            "Reports of sensitive categories (harassment, following, assault) among `reports`.",
            "count(report where category.sensitive)",
            "count",
            "public_space",
            caveats=SMALL_CELL,
            kind="count",
        ),
        Indicator(
            "confirmations",
            "Onaylar (ben de)",
            "Confirmations (me too)",
            "'Me too' confirmations given during the period to published reports of the "
            "mahalle that match the filters.",
            "count(confirmation where created_at in period)",
            "count",
            "public_space",
            caveats=SMALL_CELL + " Also withheld when its part on sensitive reports is small "
            "(public points show their confirmations).",
            kind="count",
        ),
        Indicator(
            "reports_and_confirmations",
            "Bildirim ve onay toplamı",
            "Reports and confirmations",
            "Published reports plus confirmations: how many times women signalled a place.",
            "reports + confirmations",
            "count",
            "public_space",
            caveats="Suppressed when either part is suppressed.",
            rests_on=("reports", "confirmations"),
            kind="count",
        ),
        Indicator(
            "reports_per_km2",
            "Km² başına bildirim",
            "Reports per km²",
            "Published reports divided by the mahalle's area.",
            "reports / area_km2",
            "per km²",
            "public_space",
            caveats="Large mahalle with open land look safer than they are.",
            rests_on=("reports",),
        ),
        Indicator(
            "reports_per_1000_women",
            "1.000 kadın başına bildirim (ham)",
            "Reports per 1,000 women residents (crude)",
            "Published reports per 1,000 women residents of the mahalle (TÜİK ADNKS).",
            "reports × 1000 / women_residents",
            "per 1,000 women",
            "public_space",
            estimate=True,
            caveats="Unstable for small populations: use the smoothed rate for ranking. "
            "An estimate where women residents are estimated (mahalle total × district "
            "female share). Null where the population is unknown.",
            rests_on=("reports",),
        ),
        Indicator(
            "reports_per_1000_women_eb",
            "1.000 kadın başına bildirim (Empirik Bayes)",
            "Reports per 1,000 women residents (Empirical Bayes)",
            "The crude rate shrunk towards the rate of the whole area, the more so the "
            "smaller the mahalle's population (global Empirical Bayes, Marshall 1991).",
            "b = ΣO/Σn; s² = Σn(r−b)²/Σn; a = max(0, s² − b/n̄); w = a/(a + b/n); "
            "EB = (w·r + (1−w)·b) × 1000, with O reports, n women residents, r = O/n",
            "per 1,000 women",
            "public_space",
            estimate=True,
            caveats="Computed over the mahalle with a known women population in the output. "
            "When a = 0 every mahalle gets the global rate.",
            rests_on=("reports",),
        ),
    ]
    for group in CategoryGroup:
        tr, en = GROUP_NAMES[group]
        items.append(
            Indicator(
                f"reports_{group.value}",
                f"Bildirimler: {tr}",
                f"Reports: {en}",
                f"Published reports of the category group '{group.value}'.",
                f"count(report where category.group = '{group.value}')",
                "count",
                GROUP_THEME[group],
                caveats=SMALL_CELL + " Secondary suppression within the groups of a mahalle.",
                kind="count",
            )
        )
        items.append(
            Indicator(
                f"share_{group.value}",
                f"Pay: {tr}",
                f"Share: {en}",
                f"Share of the mahalle's published reports in the category group '{group.value}'.",
                f"reports_{group.value} / reports",
                "share (0–1)",
                GROUP_THEME[group],
                rests_on=("reports", f"reports_{group.value}"),
            )
        )
    items += [
        Indicator(
            "reports_evening_night",
            "Akşam ve gece bildirimleri",
            "Evening and night reports",
            "Published reports about the evening (18–22) or night (22–06).",
            "count(report where time_band in (evening, night))",
            "count",
            "lighting",
            caveats=SMALL_CELL,
            kind="count",
        ),
        Indicator(
            "share_evening_night",
            "Akşam/gece payı",
            "Evening/night share",
            "Share of the published reports about the evening (18–22) or night (22–06).",
            "reports_evening_night / reports",
            "share (0–1)",
            "lighting",
            rests_on=("reports", "reports_evening_night"),
        ),
        Indicator(
            "mean_perceived_safety",
            "Ortalama güvenlik hissi",
            "Mean perceived safety",
            "Mean of the 1–5 perceived-safety answers (1 very unsafe, 5 safe) of the published "
            "reports; its count is `reports`.",
            "avg(perceived_safety)",
            "score 1–5",
            "public_space",
            rests_on=("reports",),
        ),
    ]
    for gender in Gender:
        tr, en = GENDER_NAMES[gender]
        items.append(
            Indicator(
                f"reports_gender_{gender.value}",
                f"Bildiren cinsiyeti: {tr}",
                f"Reporter gender: {en}",
                "Published reports by the gender the reporter chose to state (optional; "
                "'not stated' includes reports without an answer).",
                f"count(report where reporter_gender = '{gender.value}')",
                "count",
                "public_space",
                caveats=SMALL_CELL + " Secondary suppression within the gender cells.",
                kind="count",
            )
        )
    for band in AgeBand:
        tr, en = AGE_NAMES[band]
        items.append(
            Indicator(
                f"reports_age_{band.value}",
                f"Bildiren yaşı: {tr}",
                f"Reporter age: {en}",
                "Published reports by the reporter's age band (optional; 'not stated' "
                "includes reports without an answer).",
                f"count(report where reporter_age_band = '{band.value}')",
                "count",
                "public_space",
                caveats=SMALL_CELL + " Secondary suppression within the age cells.",
                kind="count",
            )
        )
    items += [
        Indicator(
            "forwarded_reports",
            "Belediyeye iletilen bildirimler",
            "Reports forwarded to the municipality",
            "Published reports that a moderator forwarded to the municipality.",
            "count(report where forwarded_at is not null)",
            "count",
            "municipal_response",
            caveats=SMALL_CELL + " Secondary suppression with the reports not forwarded.",
            kind="count",
        ),
        Indicator(
            "share_forwarded",
            "İletilme oranı",
            "Share forwarded",
            "Share of the published reports forwarded to the municipality.",
            "forwarded_reports / reports",
            "share (0–1)",
            "municipal_response",
            rests_on=("reports", "forwarded_reports"),
        ),
        Indicator(
            "resolved_reports",
            "Çözülen bildirimler",
            "Resolved reports",
            "Published reports the municipality resolved (municipal status 'resolved').",
            "count(report where municipal_status = 'resolved')",
            "count",
            "municipal_response",
            caveats=SMALL_CELL + " Secondary suppression with the reports not resolved.",
            kind="count",
        ),
        Indicator(
            "share_resolved",
            "Çözülme oranı",
            "Share resolved",
            "Share of the published reports that the municipality resolved.",
            "resolved_reports / reports",
            "share (0–1)",
            "municipal_response",
            rests_on=("reports", "resolved_reports"),
        ),
        Indicator(
            "median_days_to_resolution",
            "Çözüme kadar geçen gün (medyan)",
            "Median days to resolution",
            "Median time from forwarding to the municipality (or, when the report was never "
            "marked forwarded, from its submission) to resolution, over the resolved reports.",
            "percentile_cont(0.5) of (resolved_at − coalesce(forwarded_at, created_at)) in days",
            "days",
            "municipal_response",
            caveats="The municipality's clock starts when it is told; declined reports are "
            "not included.",
            rests_on=("resolved_reports",),
        ),
        Indicator(
            "reports_previous",
            "Önceki dönemde bildirimler",
            "Reports in the previous period",
            "Published reports in the period of equal length just before the chosen one "
            "(same filters).",
            "count(report where occurred_on in previous period)",
            "count",
            "public_space",
            caveats=SMALL_CELL,
            kind="count",
        ),
        Indicator(
            "change_reports",
            "Önceki döneme göre değişim",
            "Change against the previous period",
            "Published reports in the period minus those in the previous period of equal length.",
            "reports − reports_previous",
            "count",
            "public_space",
            caveats="Reporting campaigns (e.g. 25 November) change counts without a change "
            "in safety.",
            rests_on=("reports", "reports_previous"),
        ),
        Indicator(
            "change_reports_pct",
            "Önceki döneme göre değişim (%)",
            "Change against the previous period (%)",
            "Relative change of published reports against the previous period.",
            "100 × (reports − reports_previous) / reports_previous",
            "percent",
            "public_space",
            caveats="Null when the previous period had no reports.",
            rests_on=("reports", "reports_previous"),
        ),
    ]
    for kind, tr, en in (
        ("counselling", "kadın danışma merkezi / ŞÖNİM", "women's counselling centre / ŞÖNİM"),
        ("police", "polis", "police"),
        ("health", "sağlık hizmeti", "health service"),
    ):
        items.append(
            Indicator(
                f"distance_{kind}_m",
                f"En yakın {tr} uzaklığı",
                f"Distance to the nearest {en}",
                "Straight-line distance on the ellipsoid from a point inside the mahalle "
                "(ST_PointOnSurface, not population-weighted: no building-level population "
                "is available) to the nearest service point of the kind.",
                "min ST_Distance(geography(ST_PointOnSurface(mahalle)), geography(service))",
                "metres",
                "service_access",
                caveats="Straight line, not walking distance; only the service points imported "
                "(sample points in the demo).",
            )
        )
    items += [
        Indicator(
            "hotspot_z",
            "Sıcak nokta z değeri (Gi*)",
            "Hotspot z-score (Gi*)",
            "Local Getis-Ord Gi* z-score of reports per km², on queen contiguity of the "
            "mahalle in the output (the mahalle itself included).",
            "esda.G_Local(star=True, transform='R').Zs",
            "z-score",
            "public_space",
            caveats="A mahalle with no neighbour (island) is never significant. Withheld "
            "with `reports` (it could be inverted to the count).",
            rests_on=("reports",),
        ),
        Indicator(
            "hotspot_class",
            "Sıcak nokta sınıfı",
            "Hotspot class",
            "hot/cold at 99, 95 or 90 % confidence, or not significant: the sign of the Gi* "
            "z-score with the folded pseudo p-value of 999 conditional permutations "
            "(seed 12345), ties counted against significance.",
            "hot_99 if z>0 and p_sim≤0.01; hot_95 if ≤0.05; hot_90 if ≤0.10; cold_* alike "
            "for z<0; else not_significant",
            "class",
            "public_space",
            caveats="The pseudo p-value is one-sided (folded, as esda's p_sim); no correction "
            "for multiple testing, so about 10 % of units may be flagged at 90 % by chance.",
            kind="class",
        ),
    ]
    return items


INDICATORS: tuple[Indicator, ...] = tuple(_indicators())
BY_CODE = {item.code: item for item in INDICATORS}
COUNT_CODES = tuple(item.code for item in INDICATORS if item.kind == "count")


def definitions() -> list[dict]:
    """Every indicator definition as plain data (API, exports, docs)."""
    return [item.as_dict() for item in INDICATORS]


def themes() -> dict[str, dict[str, str]]:
    return THEMES


def markdown() -> str:
    """docs/indicators.md, generated from the same data (a test checks they agree)."""
    lines = [
        "# Indicators",
        "",
        "Generated from `app/services/planning/definitions.py` (`python -m app.services.planning.definitions "
        "> docs/indicators.md`); the API serves the same data at "
        "`GET /api/v1/indicators/definitions`. See the end for the method notes.",
        "",
        "| code | name (tr) | name (en) | unit | estimate | theme |",
        "|---|---|---|---|---|---|",
    ]
    for item in INDICATORS:
        lines.append(
            f"| `{item.code}` | {item.name_tr} | {item.name_en} | {item.unit} | "
            f"{'yes' if item.estimate else 'no'} | {item.theme} |"
        )
    lines.append("")
    for item in INDICATORS:
        lines += [
            f"## `{item.code}`",
            "",
            f"**{item.name_en}** / {item.name_tr}. {item.definition}",
            "",
            f"- Formula: `{item.formula}`",
            f"- Unit: {item.unit}; theme: {item.theme}; estimate: "
            f"{'yes' if item.estimate else 'no'}",
        ]
        if item.rests_on:
            lines.append(f"- Rests on: {', '.join(f'`{c}`' for c in item.rests_on)}")
        if item.caveats:
            lines.append(f"- Caveats: {item.caveats}")
        lines.append("")
    lines += METHOD_NOTES
    return "\n".join(lines) + "\n"


METHOD_NOTES = [
    "## Method notes",
    "",
    "- **Suppression.** Every count cell between 1 and k-1 (setting `MORHARITA_K_THRESHOLD`, "
    "default 5) is null and marked `<code>_suppressed: true` in every output (API, dashboard, "
    "every export format); zero is shown. A value derived from a suppressed count (its "
    "`rests_on`) is suppressed too. Secondary suppression: within a partition of `reports` "
    "(category groups, time of day, gender, age bands, forwarded/not, resolved/not), when "
    "exactly one cell is suppressed the smallest other non-zero cell is suppressed as well, "
    "so the total minus the shown cells cannot reveal it; when `reports` itself is withheld "
    "no partition is shown in full. `reports` is also withheld when its sensitive part is "
    "small, because the non-sensitive part is public as points; for the same reason a mixed "
    "cell whose dimension the points show (time of day, forwarded, resolved, previous "
    "period, month, confirmations, hexagon) is withheld when its sensitive part is small. "
    "Planners' exports are public output: same rules.",
    "- **Empirical Bayes.** Global EB (Marshall 1991, method of moments) over the mahalle in "
    "the output with a known women population; computed on the raw counts inside the server, "
    "published only where `reports` is shown. It agrees with esda's `Empirical_Bayes` "
    "whenever the between-mahalle variance `a` is positive (esda does not clip it at 0).",
    "- **Exports** (`GET /api/v1/planner/exports/{indicators|hotspots|reports|sensitive}`, "
    "`format=gpkg|geojson|shp|csv`, the dashboard's filters) are written by GDAL (pyogrio) "
    "from the same suppressed features as the API. Metadata (period, filters, generation "
    "time, definitions, estimate flags, k, licence: ODbL for OSM boundaries, TÜİK for "
    "population) travel inside: GeoJSON a top-level `metadata` member; GeoPackage the "
    "dataset metadata (`ogrinfo` shows it) plus tables `definitions` and `export_metadata`; "
    "Shapefile a zip with `metadata.json`, `README.txt` and `fields.csv` (10-character DBF "
    "names → codes); CSV a zip with the CSV (UTF-8 with BOM for Excel, no geometry), "
    "`metadata.json`, `definitions.csv` and `README.txt`. `reports` holds published "
    "non-sensitive reports with a map point at their displaced location; `sensitive` holds "
    "sensitive reports as counts per mahalle and category.",
    "- **Response times** start when the report was forwarded to the municipality "
    "(`forwarded_at`; submission time when never marked forwarded) and end at `resolved_at`.",
    "- **Period.** Whole months, `since` (first day) .. `until` (last day) inclusive, on the "
    "date of occurrence, as for every public figure (no count resolves a report to its day). "
    "The previous period is as many whole months just before `since`. Default: the last "
    "twelve months, the current one included.",
    "- **Hotspots.** Local Getis-Ord Gi* (esda `G_Local`, `star=True`, row-standardised), "
    "999 conditional permutations with seed 12345, classes from the sign of the z-score and "
    "the folded pseudo p-value computed from esda's own draws with ties counted on both sides "
    "(esda's `p_sim` counts ties on the upper side only, which makes every zero among zeros a "
    "99 % cold spot; without ties both are equal, a test checks it). Islands (no neighbour) "
    "are never significant. Mahalle: queen contiguity (polygons sharing at least a point, "
    "ST_Intersects in PostGIS; a test checks it against libpysal's Queen), value = reports "
    "per km² (mahalle differ in area). Hexagons: `ST_HexagonGrid` whose `size` (the side "
    "length) is 250 m or 500 m (a 250 m cell covers about 0.16 km²), built in the WGS 84 / UTM "
    "zone of the area's centre (EPSG:326xx: metric, little distortion over a city; Web "
    "Mercator would shrink cells by cos(latitude)), kept where they intersect a mahalle of "
    "the area; value = published reports at their displaced public point (reports placed by "
    "mahalle only have no point and are left out); neighbours = the six adjacent cells. A "
    "cell's count below k is withheld with its z and p; its class stays. Limits: counts "
    "are not adjusted for population; many tests at once (no FDR correction); the "
    "permutation null assumes exchangeability of the values.",
]


if __name__ == "__main__":
    print(markdown(), end="")
