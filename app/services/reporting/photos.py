"""Report photos: checked from their bytes, re-encoded without metadata, served after approval.

DESIGN.md §2.4: a photo is decoded to pixels and written again as a new JPEG, so nothing of
the uploaded file survives but the picture: EXIF (GPS included), XMP, ICC profiles and
comments are all gone. The type is read from the bytes, never from the name or the declared
content type.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import InvalidInput, NotFound, PayloadTooLarge
from app.models import Category, Report, ReportPhoto, User
from app.services.visibility import sees_photo, visible_reports

if TYPE_CHECKING:
    from PIL import Image

MAX_PHOTOS = 3
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_SIDE_PX = 1600
JPEG_QUALITY = 82
MEDIA_TYPE = "image/jpeg"
PHOTO_URL = "/api/v1/photos/{id}"


@dataclass(frozen=True)
class CleanPhoto:
    """A photo ready to store: a fresh JPEG with no metadata."""

    content: bytes
    width: int
    height: int


def _not_an_image(index: int) -> InvalidInput:
    return InvalidInput(
        f"photo {index + 1} is not a JPEG, PNG or WebP image. Choose a photo in one of "
        "these formats (HEIC photos can be shared as JPEG from the phone's share menu).",
        field=f"photos.{index}",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def check_size(index: int, size: int, settings: Settings) -> None:
    """Refuse a file above `max_photo_bytes`, naming the photo and the limit."""
    if size > settings.max_photo_bytes:
        raise PayloadTooLarge(
            f"photo {index + 1} is too large: at most {_megabytes(settings.max_photo_bytes)} "
            "per photo. Choose a smaller photo.",
            field=f"photos.{index}",
        )


def clean_photo(index: int, data: bytes, settings: Settings) -> CleanPhoto:
    """Decode one uploaded photo and re-encode it as a metadata-free JPEG (or InvalidInput)."""
    # Pillow (~15 MB per worker) loads with the first photo, not in every idle worker.
    from PIL import Image, ImageOps, UnidentifiedImageError

    check_size(index, len(data), settings)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            if probe.format not in ACCEPTED_FORMATS:
                raise _not_an_image(index)
            if probe.width * probe.height > settings.max_photo_pixels:
                raise InvalidInput(
                    f"photo {index + 1} has too many pixels ({probe.width}×{probe.height}); "
                    f"at most {settings.max_photo_pixels:,} pixels. Choose a smaller photo.",
                    field=f"photos.{index}",
                )
            if probe.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when that still covers the target size:
                # a 12-megapixel phone photo decodes several times faster.
                scale = MAX_SIDE_PX / max(probe.size)
                if scale < 1:
                    probe.draft("RGB", (int(probe.width * scale), int(probe.height * scale)))
            probe.load()
            # Turn the pixels as the camera meant, then drop the tag that said so.
            upright = ImageOps.exif_transpose(probe)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _not_an_image(index) from None
    except (OSError, SyntaxError, ValueError):  # truncated or corrupt data
        raise InvalidInput(
            f"photo {index + 1} could not be read (the file is damaged or incomplete). "
            "Choose the photo again.",
            field=f"photos.{index}",
        ) from None
    rgb = _flatten(upright)
    rgb.thumbnail((MAX_SIDE_PX, MAX_SIDE_PX), Image.Resampling.LANCZOS)
    # A new image from the pixels alone: no info dict, no EXIF, no ICC profile, no XMP.
    bare = Image.new("RGB", rgb.size)
    bare.paste(rgb)
    out = io.BytesIO()
    bare.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return CleanPhoto(content=out.getvalue(), width=bare.width, height=bare.height)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency is laid on white (a JPEG has no alpha)."""
    from PIL import Image  # see clean_photo

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def clean_photos(uploads: Sequence[bytes], settings: Settings) -> list[CleanPhoto]:
    """Check and re-encode every photo of a submission before anything is stored."""
    if len(uploads) > MAX_PHOTOS:
        raise InvalidInput(
            f"At most {MAX_PHOTOS} photos per report; {len(uploads)} were sent.", field="photos"
        )
    return [clean_photo(i, data, settings) for i, data in enumerate(uploads)]


def store_photos(session: Session, report: Report, photos: Sequence[CleanPhoto]) -> None:
    """Add the cleaned photos to the report (same transaction as the report)."""
    for position, photo in enumerate(photos):
        session.add(
            ReportPhoto(
                report_id=report.id,
                municipality_id=report.municipality_id,
                position=position,
                media_type=MEDIA_TYPE,
                width=photo.width,
                height=photo.height,
                byte_size=len(photo.content),
                content=photo.content,
            )
        )
    session.flush()


@dataclass(frozen=True)
class ServedPhoto:
    content: bytes
    public: bool  # False: served to staff only, never to be cached


def photo_for_viewer(session: Session, viewer: User | None, photo_id: str) -> ServedPhoto:
    """The photo if the viewer may see it; else NotFound (never 403: existence stays hidden).

    The public sees photos of published reports of non-sensitive categories; moderators and
    administrators see every photo of the municipalities their role covers.
    """
    missing = NotFound("No photo here. It may not be approved yet, or it was removed.")
    try:
        key = uuid.UUID(photo_id)
    except ValueError:
        raise missing from None
    row = session.execute(
        select(ReportPhoto.content, ReportPhoto.report_id, Report.status, Category.sensitive)
        .join(Report, Report.id == ReportPhoto.report_id)
        .join(Category, Category.id == Report.category_id)
        .where(ReportPhoto.id == key)
    ).first()
    if row is None:
        raise missing
    public = sees_photo(None, row.status, row.sensitive)
    if not public:
        if not sees_photo(viewer, row.status, row.sensitive):
            raise missing
        in_scope = visible_reports(viewer).where(Report.id == row.report_id)
        if session.scalar(in_scope.with_only_columns(Report.id)) is None:
            raise missing  # another municipality's report
    return ServedPhoto(content=row.content, public=public)


def public_photo_urls(session: Session, report_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list]:
    """Photo URLs per report, in order, for reports the caller already knows are public."""
    urls: dict[uuid.UUID, list[str]] = {}
    if not report_ids:
        return urls
    rows = session.execute(
        select(ReportPhoto.report_id, ReportPhoto.id)
        .where(ReportPhoto.report_id.in_(report_ids))
        .order_by(ReportPhoto.report_id, ReportPhoto.position)
    )
    for report_id, photo_id in rows:
        urls.setdefault(report_id, []).append(PHOTO_URL.format(id=photo_id))
    return urls
