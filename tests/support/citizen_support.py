"""Helpers for the citizen API tests: images with metadata, service points, publishing, leaks."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import httpx
from geoalchemy2.shape import from_shape
from PIL import Image, ImageCms
from shapely import Point
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Report, ReportStatus, ServiceKind, ServicePoint
from tests.support.factories import report_payload

# A place far from Ankara, written into the test photos' EXIF GPS.
GPS_LAT = (41.0, 0.0, 5.0)
GPS_LON = (28.0, 58.0, 42.0)
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
    b'xmp:CreatorTool="secret-phone-model"/></rdf:RDF></x:xmpmeta>'
)
COMMENT = b"taken by someone-identifiable"


def jpeg_with_metadata(size: tuple[int, int] = (400, 300), orientation: int = 6) -> bytes:
    """A JPEG carrying EXIF (GPS, camera, orientation), XMP, an ICC profile and a comment."""
    image = Image.new("RGB", size, (200, 40, 40))
    # A marker in one corner, so the orientation can be checked after re-encoding.
    image.paste((20, 20, 220), (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0110] = "SecretModel-X"  # Model
    exif[0x0112] = orientation  # Orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: GPS_LAT, 3: "E", 4: GPS_LON})
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, xmp=XMP, icc_profile=icc, comment=COMMENT, quality=90)
    return out.getvalue()


def image_bytes(fmt: str, size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    colour: tuple[int, ...] = (10, 120, 200) if mode == "RGB" else (10, 120, 200, 128)
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, fmt)
    return out.getvalue()


def post_with_photos(
    client: httpx.Client, photos: list[tuple[str, bytes, str]], **overrides
) -> httpx.Response:
    """POST /api/v1/reports as multipart: the report as JSON in `report`, files in `photos`."""
    files = [("photos", (name, content, media)) for name, content, media in photos]
    return client.post(
        "/api/v1/reports",
        data={"report": json.dumps(report_payload(**overrides))},
        files=files,
    )


def set_status(db: Session, public_id: str, status: ReportStatus) -> Report:
    """Move a report straight to `status` (the moderation API is tested elsewhere)."""
    values: dict = {"status": status}
    if status is ReportStatus.published:
        values["published_at"] = datetime.now(UTC)
    db.execute(update(Report).where(Report.public_id == public_id).values(**values))
    db.flush()
    report = db.scalar(select(Report).where(Report.public_id == public_id))
    assert report is not None
    db.refresh(report)
    return report


def add_service(db: Session, kind: ServiceKind, name: str, lon: float, lat: float) -> None:
    db.add(
        ServicePoint(
            kind=kind,
            name=name,
            address=f"{name} adresi",
            phone="0312 000 00 00",
            hours="09:00-17:00",
            location=from_shape(Point(lon, lat), srid=4326),
            is_sample=True,
        )
    )
    db.flush()


def leaks(body: str, lon: float, lat: float) -> list[str]:
    """Exact coordinates in any textual form: 6 decimals alone, or 5-decimal lon near lat."""
    found = [v for v in (f"{lon:.6f}", f"{lat:.6f}") if v in body or v.rstrip("0") in body]
    pair = re.compile(rf"{lon:.5f}\d*\D{{1,20}}{lat:.5f}|{lat:.5f}\d*\D{{1,20}}{lon:.5f}")
    if pair.search(body):
        found.append(pair.pattern)
    return found
