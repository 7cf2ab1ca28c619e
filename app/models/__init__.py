"""All tables; importing this module registers them on `Base.metadata`."""

from app.models.base import Base
from app.models.category import Category, CategoryGroup
from app.models.intake import IntakeCount
from app.models.mahalle import Mahalle
from app.models.moderation import ModerationEvent, RejectReason
from app.models.municipality import (
    Municipality,
    MunicipalityKind,
    Responsibility,
    StaffMembership,
)
from app.models.report import (
    AgeBand,
    Confirmation,
    Gender,
    LocationPrecision,
    MunicipalStatus,
    NoteAuthor,
    Report,
    ReportNote,
    ReportPhoto,
    ReportSource,
    ReportStatus,
    TimeBand,
)
from app.models.service_point import ServiceKind, ServicePoint
from app.models.user import ApiToken, LoginFailure, Role, User, UserSession

__all__ = [
    "AgeBand",
    "ApiToken",
    "Base",
    "Category",
    "CategoryGroup",
    "Confirmation",
    "Gender",
    "IntakeCount",
    "LocationPrecision",
    "LoginFailure",
    "Mahalle",
    "ModerationEvent",
    "MunicipalStatus",
    "Municipality",
    "MunicipalityKind",
    "NoteAuthor",
    "RejectReason",
    "Report",
    "ReportNote",
    "ReportPhoto",
    "ReportSource",
    "ReportStatus",
    "Responsibility",
    "Role",
    "ServiceKind",
    "ServicePoint",
    "StaffMembership",
    "TimeBand",
    "User",
    "UserSession",
]
