"""Answers that carry an ETag (tiles): 304 Not Modified when If-None-Match names it."""

from __future__ import annotations

from fastapi import Request, Response

from app.services.standards import Tile


def conditional(request: Request, tile: Tile, headers: dict[str, str]) -> Response:
    """The tile with `headers` and its ETag, or 304 with them when the client has it."""
    headers = {**headers, "ETag": tile.etag}
    if _matches(request.headers.get("if-none-match"), tile.etag):
        return Response(status_code=304, headers=headers)
    return Response(tile.content, media_type=tile.media_type, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET)."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags
