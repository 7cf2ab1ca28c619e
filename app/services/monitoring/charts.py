"""Charts of an indicator against its baseline and target, for the plan page and the reports."""

from __future__ import annotations


def indicator_chart(indicator: dict) -> dict:
    """Bars for baseline, each headline value and the target, scaled to the largest."""
    bars = []
    if indicator["baseline"]["value"] is not None:
        bars.append(
            ("baseline", str(indicator["baseline"]["period"]), indicator["baseline"]["value"])
        )
    for obs in indicator["observations"]:
        if not obs["disaggregation"] and obs["value"] is not None:
            bars.append(("value", obs["period"], obs["value"]))
    if indicator["target"]["value"] is not None:
        bars.append(("target", str(indicator["target"]["period"]), indicator["target"]["value"]))
    top = max((abs(v) for _, _, v in bars), default=0) or 1
    return {
        "bars": [
            {
                "kind": k,
                "label": lab,
                "value": v,
                "width": round(300 * abs(v) / top),
                "share": round(100 * abs(v) / top, 1),
            }
            for k, lab, v in bars
        ]
    }
