"""Open311 `media_url`: a published request's first photo, as the map serves it (re-encoded,
without metadata, never the upload), absent without photos; read with the `georeport`
client in JSON and XML."""

from __future__ import annotations

import io

import httpx
import pytest
from georeport import GeoReport
from PIL import Image
from sqlalchemy import select

from app.models import Report, ReportPhoto, ReportStatus
from tests.standards.support import published
from tests.support.citizen_support import jpeg_with_metadata, post_with_photos, set_status


def _photos(db, public_id: str) -> list[ReportPhoto]:
    return list(
        db.scalars(
            select(ReportPhoto)
            .join(Report, Report.id == ReportPhoto.report_id)
            .where(Report.public_id == public_id)
            .order_by(ReportPhoto.position)
        )
    )


@pytest.fixture
def with_photos(client, db, settings):
    """A published report with two photos, one without, and a pending one with a photo."""
    uploads = [jpeg_with_metadata(), jpeg_with_metadata(size=(300, 200))]
    files = [(f"{i}.jpg", data, "image/jpeg") for i, data in enumerate(uploads)]
    shown = post_with_photos(client, files, text="İki fotoğraflı bildirim.")
    assert shown.status_code == 201, shown.text
    pending = post_with_photos(client, files[:1], text="Bekleyen bildirim.")
    assert pending.status_code == 201, pending.text
    set_status(db, shown.json()["public_id"], ReportStatus.published)
    bare = published(db, settings, "dark_street")
    db.commit()
    return {
        "shown": shown.json()["public_id"],
        "pending": pending.json()["public_id"],
        "bare": bare.public_id,
        "uploads": uploads,
    }


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_media_url_is_the_first_public_photo_and_absent_without_one(server, db, with_photos, fmt):
    client = GeoReport(f"{server.url}/open311/v2", output_format=fmt)
    found = client.get_service_requests()
    found = found if isinstance(found, list) else [found]
    by_id = {r["service_request_id"]: r for r in found}
    assert with_photos["pending"] not in by_id
    first, second = _photos(db, with_photos["shown"])
    url = f"{server.url}/api/v1/photos/{first.id}"
    assert by_id[with_photos["shown"]]["media_url"] == url
    assert "media_url" not in by_id[with_photos["bare"]] or not by_id[with_photos["bare"]].get(
        "media_url"
    )
    single = client.get_service_request(with_photos["shown"])
    assert single["media_url"] == url
    bare = client.get_service_request(with_photos["bare"])
    assert not bare.get("media_url")

    # What it points at: the re-encoded copy the map shows, never the upload.
    photo = httpx.get(url, timeout=30)
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.content == first.content
    assert photo.content not in with_photos["uploads"]
    with Image.open(io.BytesIO(photo.content)) as image:
        assert not image.getexif()  # no GPS, no camera, nothing
    assert str(second.id) not in str(found)  # only the first photo


def test_json_and_xml_say_the_same(client, with_photos):
    as_json = client.get("/open311/v2/requests.json").json()
    shown = next(r for r in as_json if r["service_request_id"] == with_photos["shown"])
    bare = next(r for r in as_json if r["service_request_id"] == with_photos["bare"])
    assert shown["media_url"].endswith("/api/v1/photos/" + shown["media_url"].rsplit("/", 1)[1])
    assert "media_url" not in bare
    xml = client.get(f"/open311/v2/requests/{with_photos['shown']}.xml").text
    assert f"<media_url>{shown['media_url']}</media_url>" in xml
    bare_xml = client.get(f"/open311/v2/requests/{with_photos['bare']}.xml").text
    assert "media_url" not in bare_xml
