"""The routes of the app under test, as (method, path template) pairs."""

from __future__ import annotations


def app_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) the app serves, HEAD and mounts (static files) left out."""
    found = []
    for route in app.routes:
        contexts = (
            list(route.effective_route_contexts())
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for ctx in contexts:
            path = getattr(ctx, "path", None)
            methods = getattr(ctx, "methods", None)
            if path is None or methods is None:
                continue
            found.extend((m, path) for m in methods if m != "HEAD")
    return sorted(set(found))
