"""Report photos: checked from the bytes, stored without any metadata, served after approval."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.errors import InvalidInput
from app.models import Report, ReportPhoto, ReportStatus, Role
from app.services.reporting import photos
from tests.support.citizen_support import (
    COMMENT,
    image_bytes,
    jpeg_with_metadata,
    post_with_photos,
    set_status,
)
from tests.support.factories import login, make_user


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def stored_photos(db, public_id: str) -> list[ReportPhoto]:
    return list(
        db.scalars(
            select(ReportPhoto)
            .join(Report, Report.id == ReportPhoto.report_id)
            .where(Report.public_id == public_id)
            .order_by(ReportPhoto.position)
        )
    )


def test_source_photo_really_carries_gps_xmp_icc_and_comment():
    # The test is only meaningful if the uploaded file has all of it.
    data = jpeg_with_metadata()
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert exif.get_ifd(0x8825)[2] == (41.0, 0.0, 5.0)
    assert exif[0x0110] == "SecretModel-X"
    assert "xmp" in image.info and "icc_profile" in image.info
    assert image.info.get("comment") == COMMENT
    assert b"secret-phone-model" in data


def test_stored_photo_has_no_exif_gps_xmp_icc_or_comment(client, db):
    original = jpeg_with_metadata(size=(400, 300), orientation=6)
    response = post_with_photos(client, [("IMG_0001.jpg", original, "image/jpeg")])
    assert response.status_code == 201, response.text
    assert response.json()["photos"] == 1
    [photo] = stored_photos(db, response.json()["public_id"])
    content = bytes(photo.content)
    assert photo.media_type == "image/jpeg" and photo.byte_size == len(content)
    stored = Image.open(io.BytesIO(content))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(0x8825) == {}
    for key in ("exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"):
        assert key not in stored.info, key
    for marker in (b"Exif", b"http://ns.adobe.com/xap", b"secret-phone-model", COMMENT):
        assert marker not in content, marker
    assert b"SecretModel-X" not in content and b"SecretCameraMaker" not in content
    # Orientation 6 (rotate 90° clockwise) was applied to the pixels: 400x300 became 300x400,
    # and the blue marker from the top-left corner is now top-right.
    assert (photo.width, photo.height) == (300, 400) == stored.size
    r, _g, b = stored.convert("RGB").getpixel((290, 10))
    assert b > 150 and r < 100


def test_large_photo_is_downscaled_to_1600_px(client, db):
    big = image_bytes("JPEG", size=(3200, 1200))
    response = post_with_photos(client, [("big.jpg", big, "image/jpeg")])
    assert response.status_code == 201, response.text
    [photo] = stored_photos(db, response.json()["public_id"])
    assert (photo.width, photo.height) == (1600, 600)


def test_png_with_transparency_and_webp_are_accepted_and_stored_as_jpeg(client, db):
    files = [
        ("a.png", image_bytes("PNG", mode="RGBA"), "image/png"),
        ("b.webp", image_bytes("WEBP"), "image/webp"),
        ("c.jpg", image_bytes("JPEG"), "image/jpeg"),
    ]
    response = post_with_photos(client, files)
    assert response.status_code == 201, response.text
    stored = stored_photos(db, response.json()["public_id"])
    assert [p.position for p in stored] == [0, 1, 2]
    for photo in stored:
        assert Image.open(io.BytesIO(bytes(photo.content))).format == "JPEG"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.jpg", b"This is a text file renamed to look like a photo.\n" * 20),
        ("IMG_0002.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200),
        ("anim.gif", image_bytes("GIF")),
    ],
)
def test_a_file_that_is_not_jpeg_png_or_webp_is_refused_and_nothing_is_stored(
    client, db, name, content
):
    reports_before, photos_before = count(db, Report), count(db, ReportPhoto)
    good = ("ok.jpg", image_bytes("JPEG"), "image/jpeg")
    response = post_with_photos(client, [good, (name, content, "image/jpeg")])
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "photos.1"
    assert "photo 2 is not a JPEG, PNG or WebP image" in error["message"]
    assert (count(db, Report), count(db, ReportPhoto)) == (reports_before, photos_before)


def test_a_photo_above_the_size_limit_is_refused_with_the_limit(client, db, settings):
    reports_before = count(db, Report)
    too_big = b"\xff\xd8\xff" + b"\x00" * settings.max_photo_bytes
    response = post_with_photos(client, [("huge.jpg", too_big, "image/jpeg")])
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "photos.0"
    assert "photo 1 is too large" in error["message"] and "8 MB" in error["message"]
    assert count(db, Report) == reports_before


def test_more_than_three_photos_is_refused(client, db):
    reports_before = count(db, Report)
    files = [(f"{i}.jpg", image_bytes("JPEG"), "image/jpeg") for i in range(4)]
    response = post_with_photos(client, files)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "photos"
    assert count(db, Report) == reports_before


def test_pixel_limit_refuses_decompression_bombs(settings):
    small_limit = settings.model_copy(update={"max_photo_pixels": 10_000})
    bomb = image_bytes("PNG", size=(200, 200))  # 40,000 pixels, a few hundred bytes
    with pytest.raises(InvalidInput) as caught:
        photos.clean_photo(0, bomb, small_limit)
    assert caught.value.field == "photos.0"
    assert "too many pixels" in caught.value.message
    assert photos.clean_photo(0, image_bytes("PNG", size=(100, 100)), small_limit).width == 100


def test_truncated_jpeg_is_refused_with_a_clear_message(settings):
    data = image_bytes("JPEG", size=(300, 300))
    with pytest.raises(InvalidInput) as caught:
        photos.clean_photo(1, data[: len(data) // 3], settings)
    assert caught.value.field == "photos.1"
    assert "photo 2" in caught.value.message


def test_multipart_without_report_field_and_bad_report_json_are_422(client):
    response = client.post("/api/v1/reports", files=[("photos", ("a.jpg", b"x", "image/jpeg"))])
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "report"
    response = client.post("/api/v1/reports", data={"report": "{not json"})
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["error"]["message"]
    # An empty file input (no photo chosen) is no photo, not a bad one.
    empty_file_input = [("photos", ("", b"", "application/octet-stream"))]
    response = client.post(
        "/api/v1/reports", data={"report": '{"category": "dark_street"}'}, files=empty_file_input
    )
    assert response.status_code == 422
    fields = {f["field"] for f in response.json()["error"]["fields"]}
    assert {"perceived_safety", "consent"} <= fields


def photo_url(client, public_id: str) -> str:
    body = client.get("/api/v1/reports").json()
    [feature] = [f for f in body["features"] if f["id"] == public_id]
    [url] = feature["properties"]["photos"]
    return url


def test_photo_is_not_served_before_approval_but_is_to_moderators(client, db, settings):
    response = post_with_photos(client, [("a.jpg", jpeg_with_metadata(), "image/jpeg")])
    public_id = response.json()["public_id"]
    [photo] = stored_photos(db, public_id)
    url = f"/api/v1/photos/{photo.id}"
    refused = client.get(url)
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/json")
    assert client.get("/api/v1/photos/00000000-0000-0000-0000-000000000000").json() == (
        refused.json()
    )
    assert client.get("/api/v1/photos/not-a-uuid").status_code == 404

    planner = make_user(db, settings, Role.planner)
    login(client, planner)
    assert client.get(url).status_code == 404  # planners see published data only

    moderator = make_user(db, settings, Role.moderator)
    login(client, moderator)
    seen = client.get(url)
    assert seen.status_code == 200
    assert seen.headers["content-type"] == "image/jpeg"
    assert seen.headers["cache-control"] == "no-store"
    assert seen.headers["x-content-type-options"] == "nosniff"
    assert seen.content == bytes(photo.content)


def test_published_photo_is_public_and_listed_on_its_feature(client, db):
    response = post_with_photos(client, [("a.jpg", jpeg_with_metadata(), "image/jpeg")])
    public_id = response.json()["public_id"]
    set_status(db, public_id, ReportStatus.published)
    url = photo_url(client, public_id)
    served = client.get(url)
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/jpeg"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "public" in served.headers["cache-control"]
    assert b"Exif" not in served.content

    set_status(db, public_id, ReportStatus.deleted)
    assert client.get(url).status_code == 404


def test_photo_of_a_sensitive_category_is_never_public(client, db):
    response = post_with_photos(
        client, [("a.jpg", image_bytes("JPEG"), "image/jpeg")], category="verbal_harassment"
    )
    public_id = response.json()["public_id"]
    set_status(db, public_id, ReportStatus.published)
    [photo] = stored_photos(db, public_id)
    assert client.get(f"/api/v1/photos/{photo.id}").status_code == 404
    listed = client.get("/api/v1/reports").text
    assert str(photo.id) not in listed


def test_a_body_larger_than_three_photos_at_the_limit_is_refused_before_reading(
    client, db, settings
):
    reports_before = count(db, Report)
    size = 3 * settings.max_photo_bytes + 512 * 1024
    files = [("photos", ("big.jpg", b"\xff" * size, "image/jpeg"))]
    response = client.post("/api/v1/reports", data={"report": "{}"}, files=files)
    assert response.status_code == 413
    assert response.json()["error"]["fields"][0]["field"] == "photos"
    assert count(db, Report) == reports_before


def test_a_body_without_its_length_is_refused_before_reading(client, db):
    """A chunked body has no Content-Length, so no size limit could hold before reading it."""
    reports_before = count(db, Report)

    def chunks():
        yield b'{"category": "dark_street"'
        yield b"}"

    response = client.post(
        "/api/v1/reports", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 411
    assert "Content-Length" in response.json()["error"]["message"]
    assert count(db, Report) == reports_before
