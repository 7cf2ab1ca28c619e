"""Reading a report submission: a JSON body, or a multipart form with the report and photos."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.deps import SettingsDep
from app.config import Settings
from app.errors import LengthRequired, PayloadTooLarge
from app.schemas.reporting import ReportCreate
from app.services.reporting import photos
from app.services.reporting.photos import MAX_PHOTOS


@dataclass(frozen=True)
class Submission:
    data: ReportCreate
    photos: list[bytes]


def _invalid(exc: ValidationError) -> RequestValidationError:
    return RequestValidationError(
        [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(include_url=False)]
    )


FORM_OVERHEAD_BYTES = 256 * 1024  # the report JSON and the multipart framing


def _refuse_oversized_body(request: Request, settings: Settings, *, form: bool) -> None:
    """Refuse, before reading it, a body larger than the report (and 3 photos) could make it."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():  # a chunked body could not be refused before it is read
        raise LengthRequired(
            "The report must be sent with its length (a Content-Length header); "
            "browsers do this by themselves."
        )
    if form and int(declared) > MAX_PHOTOS * settings.max_photo_bytes + FORM_OVERHEAD_BYTES:
        raise PayloadTooLarge(
            f"The report is too large to send: at most {MAX_PHOTOS} photos of "
            f"{settings.max_photo_bytes // (1024 * 1024)} MB each. Choose smaller photos.",
            field="photos",
        )
    if not form and int(declared) > FORM_OVERHEAD_BYTES:
        raise PayloadTooLarge(
            "The report is too large to send; photos go in a multipart form, not in JSON.",
            field="body",
        )


async def report_submission(request: Request, settings: SettingsDep) -> Submission:
    """The report from a JSON body, or from a multipart form (field `report` + `photos`)."""
    content_type = request.headers.get("content-type", "")
    is_form = content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded"))
    _refuse_oversized_body(request, settings, form=is_form)
    if is_form:
        form = await request.form(max_files=10, max_fields=20)
        raw = form.get("report")
        if not isinstance(raw, str):
            raise RequestValidationError(
                [
                    {
                        "type": "missing",
                        "loc": ("body", "report"),
                        "msg": "the form needs a field 'report' holding the report as JSON",
                    }
                ]
            )
        uploads: list[bytes] = []
        for item in form.getlist("photos"):
            if isinstance(item, str):
                continue  # not a file
            content = await item.read(settings.max_photo_bytes + 1)
            if not content and not item.filename:
                continue  # an empty file input sends an unnamed, empty part
            photos.check_size(len(uploads), len(content), settings)
            uploads.append(content)
    else:
        raw, uploads = (await request.body()).decode("utf-8", "replace"), []
    try:
        return Submission(ReportCreate.model_validate_json(raw), uploads)
    except ValidationError as exc:
        raise _invalid(exc) from None


def _inlined_schema(model: type[ReportCreate]) -> dict:
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


SUBMISSION_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inlined_schema(ReportCreate)},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["report"],
                    "properties": {
                        "report": {"type": "string", "description": "ReportCreate as JSON."},
                        "photos": {
                            "type": "array",
                            "maxItems": MAX_PHOTOS,
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                }
            },
        },
    }
}
