"""The same computed indicator in the same period across municipalities, side by side.

For Monitoring Boards and planners comparing plans (and for the public: every value shown
is one the plan pages already publish, protected the same way). Two plan indicators are
"the same" when they use the same computed indicator with the same stored filters; their
values still cover each plan's own target mahalle, which the answer names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput
from app.models import User
from app.services.monitoring.plans import plans_of
from app.services.monitoring.views import plan_detail
from app.services.reference import turkish_sort_key


def comparison_key(code: str, filters: dict) -> str:
    """`reports_per_1000_women:groups=lighting+transport`: the code and its stored filters."""
    parts = [code]
    for name in sorted(filters):
        values = filters[name]
        if values:
            joined = (
                "+".join(sorted(str(v) for v in values)) if isinstance(values, list) else values
            )
            parts.append(f"{name}={joined}")
    return ":".join(parts)


def walk_items(nodes: list[dict]) -> Iterator[dict]:
    """Every node of a plan tree as `plan_detail` gives it, parents before children."""
    for node in nodes:
        yield node
        yield from walk_items(node["children"])


def compare(
    session: Session,
    settings: Settings,
    viewer: User | None,
    key: str | None,
    period: str | None,
    area: tuple[int, ...] | None = None,
) -> dict:
    """Rows of every visible plan's indicator with this key, at this period's headline value;
    and the keys and periods there are to choose from."""
    options: dict[str, dict] = {}
    periods: dict[str, set[str]] = defaultdict(set)
    rows = []
    for plan in plans_of(session, viewer, area):
        detail = plan_detail(session, settings, plan, viewer)
        for node in walk_items(detail["items"]):
            for ind in node["indicators"]:
                if not ind["computed_code"]:
                    continue
                this = comparison_key(ind["computed_code"], ind["computed_filters"] or {})
                options.setdefault(this, {"key": this, "name": ind["name"], "unit": ind["unit"]})
                headline = [o for o in ind["observations"] if not o["disaggregation"]]
                periods[this].update(o["period"] for o in headline)
                if this != key:
                    continue
                found = next((o for o in headline if o["period"] == period), None)
                if found is None:
                    continue
                rows.append(
                    {
                        "municipality": detail["municipality_name"],
                        "plan": plan.code,
                        "plan_title": detail["title"],
                        "indicator": ind["code"],
                        "name": ind["name"],
                        "unit": ind["unit"],
                        "mahalle": node["mahalle"],
                        "value": found["value"],
                        "suppressed": found["suppressed"],
                        "state": found["state"],
                        "baseline": ind["baseline"]["value"],
                        "target": ind["target"]["value"],
                        "progress_status": ind["progress_status"],
                        "plan_url": f"/plans/{plan.code}",
                    }
                )
    if key is not None and key not in options:
        raise InvalidInput(
            f"No plan has a computed indicator {key!r}; choose one of the listed keys.",
            field="indicator",
        )
    return {
        "indicator": key,
        "period": period,
        "rows": sorted(
            rows, key=lambda r: (turkish_sort_key(r["municipality"]), r["plan"], r["indicator"])
        ),
        "options": [{**options[k], "periods": sorted(periods[k])} for k in sorted(options)],
    }
