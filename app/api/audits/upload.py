"""Reading an audit point: a JSON body, or a multipart form with the point and one photo."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.deps import SettingsDep
from app.errors import LengthRequired, PayloadTooLarge
from app.schemas.audits import PointCreate

FORM_OVERHEAD_BYTES = 64 * 1024  # the point's JSON and the multipart framing


@dataclass(frozen=True)
class PointUpload:
    data: PointCreate
    photo: bytes | None


def _missing_point() -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "type": "missing",
                "loc": ("body", "point"),
                "msg": "the form needs a field 'point' holding the audit point as JSON",
            }
        ]
    )


async def point_upload(request: Request, settings: SettingsDep) -> PointUpload:
    """The point from a JSON body, or from a multipart form (field `point` + `photo`)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise LengthRequired("The point must be sent with its length (a Content-Length header).")
    is_form = request.headers.get("content-type", "").startswith("multipart/form-data")
    limit = settings.max_photo_bytes + FORM_OVERHEAD_BYTES if is_form else FORM_OVERHEAD_BYTES
    if int(declared) > limit:
        raise PayloadTooLarge(
            f"The point is too large to send: one photo of at most "
            f"{settings.max_photo_bytes // (1024 * 1024)} MB. Choose a smaller photo.",
            field="photo",
        )
    photo: bytes | None = None
    if is_form:
        form = await request.form(max_files=2, max_fields=5)
        raw = form.get("point")
        if not isinstance(raw, str):
            raise _missing_point()
        upload = form.get("photo")
        if upload is not None and not isinstance(upload, str):
            photo = await upload.read(settings.max_photo_bytes + 1) or None
    else:
        raw = (await request.body()).decode("utf-8", "replace")
    try:
        return PointUpload(PointCreate.model_validate_json(raw), photo)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False)]
        ) from None


def _inlined(model: type[PointCreate]) -> dict:
    """The model's JSON schema with its $defs inlined (the body is parsed by hand, so FastAPI
    does not put the model into the OpenAPI components)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


POINT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inlined(PointCreate)},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["point"],
                    "properties": {
                        "point": {"type": "string", "description": "PointCreate as JSON."},
                        "photo": {"type": "string", "format": "binary"},
                    },
                }
            },
        },
    }
}
