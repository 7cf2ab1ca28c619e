""" "Me too" schemas: the nearby list and a confirmation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.models import AgeBand, Gender
from app.schemas.common import CleanStr


class NearbyReport(BaseModel):
    public_id: str
    category: str
    distance_m: int = Field(description="From the report's public (displaced) point, to 10 m.")
    period: str = Field(description="YYYY-MM")
    confirmations: int
    text: str = Field(description="The published (redacted where needed) text.")


class NearbyReports(BaseModel):
    items: list[NearbyReport]
    sensitive: bool = Field(
        default=False,
        description="True: the category is sensitive; its reports are public only as counts "
        "per mahalle, so none are listed.",
    )


class ConfirmationCreate(BaseModel):
    """A "me too". Demographics are optional; consent is not."""

    model_config = ConfigDict(extra="forbid")

    consent: bool
    consent_version: CleanStr = Field(min_length=1, max_length=32)
    reporter_gender: Gender | None = None
    reporter_age_band: AgeBand | None = None

    @field_validator("consent")
    @classmethod
    def _consent_given(cls, value: bool) -> bool:
        if value is not True:
            raise ValueError(
                "consent is required: agree that your confirmation (and the optional gender "
                "and age band) is stored and counted"
            )
        return value


class ConfirmationCreated(BaseModel):
    public_id: str
    confirmations: int
