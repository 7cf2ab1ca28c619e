"""`morharita plan ...`: equality plans (YEEP) from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from app.cli.common import console_errors, settings_and_engine
from app.db import make_session_factory, unit_of_work

app = typer.Typer(help="Equality plans (YEEP): import from a spreadsheet.")


@app.command("import")
def import_plan(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="An .xlsx or .csv file."),
    municipality: str = typer.Option(..., help="Code of the plan's municipality, e.g. cankaya."),
    code: str = typer.Option(None, help="The plan's code (default: the file name)."),
    title: str = typer.Option(None, help="The plan's Turkish title (default: its code)."),
    title_en: str = typer.Option(None, help="The plan's English title."),
    start: int = typer.Option(date.today().year, help="First year of the plan."),
    end: int = typer.Option(date.today().year + 3, help="Last year of the plan."),
    example: bool = typer.Option(False, help="Mark the plan as an example, not a real plan."),
) -> None:
    """Import a plan (as a draft) from a spreadsheet, one row per item; all or nothing."""
    from app.services.monitoring import PlanHeader, import_plan_file

    header = PlanHeader(
        code=code or file.stem,
        title_tr=title or code or file.stem,
        title_en=title_en,
        period_start=date(start, 1, 1),
        period_end=date(end, 12, 31),
        is_example=example,
    )
    with console_errors(), settings_and_engine() as (_, engine):
        with unit_of_work(make_session_factory(engine)) as session:
            plan, items, indicators = import_plan_file(session, file, municipality, header)
            plan_code = plan.code
        typer.echo(
            f"Plan {plan_code} imported as a draft: {items} item(s), {indicators} indicator(s)."
        )
