"""Equality-plan (YEEP) monitoring (DESIGN.md §9): plans, targets, indicators, reports.

What other domains may use is exported here; the modules inside are this domain's own.
"""

from app.services.monitoring.compare import compare as compare_plans
from app.services.monitoring.edit_pages import import_page, plans_page
from app.services.monitoring.public_pages import intervention_page, plan_page
from app.services.monitoring.spreadsheet import (
    PlanHeader,
    import_plan_file,
    import_uploaded_plan,
)
from app.services.monitoring.template import template_csv, template_xlsx
from app.services.monitoring.views import plan_index
from app.services.monitoring.work_pages import work_page

__all__ = [
    "PlanHeader",
    "compare_plans",
    "import_page",
    "import_plan_file",
    "import_uploaded_plan",
    "intervention_page",
    "plan_index",
    "plan_page",
    "plans_page",
    "template_csv",
    "template_xlsx",
    "work_page",
]
