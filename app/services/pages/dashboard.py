"""What the planners' dashboard page needs besides the API."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import i18n
from app.config import Settings
from app.models import CategoryGroup, Mahalle, Municipality, Role, TimeBand, User
from app.services.pages import site
from app.services.planning import INDICATORS, UNIT_TR
from app.services.reference import staff_scope
from app.services.scope import default_period
from app.services.statistics import CLASS_METHODS


def dashboard_config(session: Session, settings: Settings, user: User) -> dict:
    """What the dashboard page needs besides the API: districts, filters, indicator names."""
    locale = i18n.current_locale()
    since, until = default_period()
    permitted = user.role in (Role.planner, Role.admin)
    scope = staff_scope(session, user)
    districts = select(Mahalle.district).distinct().order_by(Mahalle.district)
    municipalities = select(Municipality.code, Municipality.name).order_by(Municipality.name)
    if scope is not None:  # only what the planner's role covers
        districts = districts.where(Mahalle.municipality_id.in_(scope))
        municipalities = municipalities.where(Municipality.id.in_(scope))
    config = site.page_config(settings, demo=site.demo_data_present(session))
    config.update(
        {
            "permitted": permitted,
            "user": {"email": user.email, "role": user.role.value},
            "period": {"since": since.isoformat()[:7], "until": until.isoformat()[:7]},
            "districts": list(session.scalars(districts)) if permitted else [],
            "municipalities": [{"code": c, "name": n} for c, n in session.execute(municipalities)]
            if permitted
            else [],
            "groups": [g.value for g in CategoryGroup],
            "time_bands": [b.value for b in TimeBand],
            "hex_sizes": list(settings.hex_sizes_m),
            "labels": site.report_labels(),  # the report popups (map/points.js)
            "class_methods": {m: names[locale] for m, names in CLASS_METHODS.items()},
            "indicators": [
                {
                    "code": item.code,
                    "name": item.name_tr if locale == "tr" else item.name_en,
                    "unit": item.unit,
                    "unit_name": UNIT_TR[item.unit] if locale == "tr" else item.unit,
                    "estimate": item.estimate,
                    "kind": item.kind,
                    "theme": item.theme,
                }
                for item in INDICATORS
            ],
        }
    )
    return config
