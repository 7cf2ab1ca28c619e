"""The demo's moderation queue and the municipal answers to its published reports."""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.config import Settings
from app.demo.staff import DEPARTMENTS
from app.geo.displacement import offset
from app.models import (
    Category,
    CategoryGroup,
    MunicipalStatus,
    NoteAuthor,
    Report,
    ReportSource,
    ReportStatus,
)
from app.services.moderation import MUNICIPAL_GROUPS
from app.services.reporting import place_report

MUNICIPAL_NOTES = {
    MunicipalStatus.forwarded: "Bildiriminiz {department} birimine iletildi.",
    MunicipalStatus.in_progress: "Ekip yönlendirildi, çalışma sürüyor.",
    MunicipalStatus.resolved: "Sorun giderildi. Teşekkür ederiz.",
    MunicipalStatus.declined: "Bu yer belediyenin sorumluluğunda değil; ilgili kuruma iletilmesi "
    "önerildi.",
}


# Pending texts with personal data for the moderators to redact (all invented).
PII_TEXTS = (
    "Durakta bekleyen adam beni takip etti, plakası 06 ABC 123 olan araca bindi.",
    "Bana ulaşmak isterseniz: 0532 123 45 67. Sokak lambaları yine yanmıyor.",
    "Parkta her akşam rahatsız ediliyoruz. E-posta: ayse.demo@example.com",
    "Kimlik numaram 10000000146, başvurumu buradan takip etmek istiyorum. Kaldırım çökmüş.",
    "Geçen hafta burada bir olay oldu, video: instagram.com/ornek.hesap",
    "Köprü altı çok karanlık, +90 555 987 65 43 numaralı telefondan bana ulaşabilirsiniz.",
)


DUPLICATE_TEXT = "Alt geçidin lambaları kırık, gece geçmek çok korkutucu."


def _municipal_response(
    rng: random.Random, rows: list[dict], groups: dict[int, CategoryGroup], now: datetime
) -> list[dict]:
    """Forwarding dates, departments, some declined answers and the public notes.

    A separate random stream, so the reports themselves stay what they were.
    """
    notes = []
    for row in rows:
        group = groups[row["category_id"]]
        if row["municipal_status"] is MunicipalStatus.none:
            continue
        if group not in MUNICIPAL_GROUPS:  # e.g. "other": not for the municipality
            row["municipal_status"], row["resolved_at"] = MunicipalStatus.none, None
            continue
        published = row["published_at"]
        closed = row["resolved_at"]
        latest = min(closed, now) if closed else now
        forwarded = published + (latest - published) * rng.uniform(0.05, 0.4)
        row["forwarded_at"] = forwarded
        row["municipal_department"] = DEPARTMENTS[group]
        steps = [(MunicipalStatus.forwarded, forwarded)]
        status = row["municipal_status"]
        if status is MunicipalStatus.resolved and rng.random() < 0.2:
            status = row["municipal_status"] = MunicipalStatus.declined
            row["resolved_at"] = None  # resolved_at is for resolved reports only
        if status is not MunicipalStatus.forwarded:
            progress = forwarded + (latest - forwarded) * rng.uniform(0.1, 0.5)
            steps.append((MunicipalStatus.in_progress, progress))
        if status in (MunicipalStatus.resolved, MunicipalStatus.declined):
            steps.append((status, latest))
        for step, when in steps:
            notes.append(
                {
                    "report_id": row["id"],
                    "municipality_id": row["municipality_id"],
                    "created_at": when,
                    "author": NoteAuthor.municipality,
                    "body": MUNICIPAL_NOTES[step].format(department=DEPARTMENTS[group]),
                    "public": True,
                    "municipal_status": step,
                }
            )
        row["updated_at"] = max(row["updated_at"], steps[-1][1])
    return notes


def prepare_demo_queue(session: Session, settings: Settings) -> dict[str, str]:
    """Make the pending demo queue worth working: texts with personal data, a duplicate pair.

    Rewrites a few pending demo reports in place (idempotent); returns what it set up.
    """
    pending = list(
        session.scalars(
            select(Report)
            .where(Report.source == ReportSource.demo, Report.status == ReportStatus.pending)
            .order_by(Report.created_at, Report.public_id)  # the top of the queue
            .limit(len(PII_TEXTS) + 2)
        )
    )
    if len(pending) < len(PII_TEXTS) + 2:
        return {}
    for report, body in zip(pending, PII_TEXTS, strict=False):
        report.text = body
    original, duplicate = pending[-2], pending[-1]
    underpass = session.scalar(select(Category).where(Category.code == "unsafe_underpass"))
    if underpass is not None:
        original.category_id = duplicate.category_id = underpass.id
    original.text = DUPLICATE_TEXT
    duplicate.text = "Alt geçitte ışık yok, çok karanlık ve korkutucu."
    lon, lat = session.execute(
        select(func.ST_X(original.location), func.ST_Y(original.location))
    ).one()
    near_lon, near_lat = offset(lon, lat, 15.0, 1.0)
    placement = place_report(session, settings, near_lon, near_lat, duplicate.public_id)
    duplicate.location = f"SRID=4326;POINT({near_lon!r} {near_lat!r})"
    duplicate.public_location = f"SRID=4326;{placement.public_point.wkt}"
    duplicate.mahalle_id = placement.mahalle.id if placement.mahalle else None
    duplicate.municipality_id = placement.municipality_id
    session.flush()
    return {"duplicate": duplicate.public_id, "original": original.public_id}
