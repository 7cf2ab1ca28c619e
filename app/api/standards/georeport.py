"""GeoReport v2 answers: the same data as JSON or XML, and errors in the standard's format."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from app.errors import DomainError, InvalidInput, NotAuthenticated, NotFound, status_for

PREFIX = "/open311/"
FORMATS = ("json", "xml")
# The element each item of a list is wrapped in (GeoReport v2's XML names).
ITEM_TAG = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


class FormatNotFound(NotFound):
    code = "format_not_found"


def check_format(fmt: str) -> str:
    """`json` or `xml`, else a 404 in the standard's format."""
    if fmt not in FORMATS:
        raise FormatNotFound(f"Unknown format '.{fmt}'; use .json or .xml.")
    return fmt


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, list):
                holder = ET.SubElement(element, key)
                for item in child:
                    _fill(ET.SubElement(holder, ITEM_TAG.get(key, "item")), item)
            else:
                _fill(ET.SubElement(element, key), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def to_xml(root: str, data: Any) -> bytes:
    """`data` (a dict, or a list of items under `root`) as GeoReport XML."""
    element = ET.Element(root)
    if isinstance(data, list):
        for item in data:
            _fill(ET.SubElement(element, ITEM_TAG.get(root, "item")), item)
    else:
        _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def answer(fmt: str, root: str, data: Any, status_code: int = 200) -> Response:
    """`data` in the format asked for (`root` names the XML document element)."""
    if fmt == "xml":
        return Response(to_xml(root, data), status_code, media_type="text/xml; charset=utf-8")
    return JSONResponse(data, status_code)


def is_georeport(request: Request) -> bool:
    """Whether an error on this request is answered in GeoReport's format."""
    return request.url.path.startswith(PREFIX)


def georeport_status(error: DomainError) -> int:
    """GeoReport's codes: 400 for bad input, 403 for a refused api_key, else the usual."""
    if isinstance(error, NotAuthenticated):
        return 403
    if isinstance(error, InvalidInput):
        return 400
    return status_for(error)


def error_answer(request: Request, status_code: int, message: str, headers=None) -> Response:
    """`[{"code": ..., "description": ...}]`, or `<errors><error>...` for .xml paths."""
    fmt = "xml" if request.url.path.endswith(".xml") else "json"
    response = answer(fmt, "errors", [{"code": status_code, "description": message}], status_code)
    if headers:
        response.headers.update(headers)
    return response
