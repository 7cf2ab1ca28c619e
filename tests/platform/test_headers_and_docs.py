"""Every answer says nosniff; the API docs come from local assets under the pages' CSP;
logging out needs the session's CSRF token."""

from __future__ import annotations

import re

import pytest

from app.models import Role
from app.services.pages.site import page_headers
from tests.support.factories import login, make_user


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/v1/categories",
        "/api/v1/reports?bbox=nonsense",  # 422
        "/api/v1/nothing-here",  # 404
        "/api/v1/moderation/reports",  # 401
        "/openapi.json",
        "/docs",
        "/redoc",
        "/sw.js",
        "/static/css/app.css",
        "/vendor/leaflet/leaflet.js",
        "/vendor/swagger-ui/swagger-ui-bundle.js",
    ],
)
def test_every_answer_says_nosniff(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff", response.status_code


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_are_served_from_local_assets_under_the_page_csp(client, settings, path):
    response = client.get(path)
    assert response.status_code == 200
    assert (
        response.headers["Content-Security-Policy"]
        == (page_headers(settings)["Content-Security-Policy"])
    )
    html = response.text
    assert "<script>" not in html  # no inline script: the CSP would refuse it anyway
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/") or a.startswith("data:") for a in assets), assets
    assert not re.search(r"cdn|unpkg|jsdelivr", html, re.IGNORECASE)
    for asset in assets:
        if asset.startswith("/"):
            assert client.get(asset).status_code == 200, asset


def test_fastapi_default_docs_routes_are_gone(client):
    assert client.get("/docs/oauth2-redirect").status_code == 404


def test_logout_needs_the_csrf_token(client, db, settings):
    login(client, make_user(db, settings, Role.moderator))
    token = client.headers.pop("X-CSRF-Token")
    refused = client.post("/api/v1/auth/logout")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    assert client.get("/api/v1/auth/me").status_code == 200  # still logged in
    wrong = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "x" + token})
    assert wrong.status_code == 403
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_logout_without_a_session_is_a_harmless_no_op(client):
    assert client.post("/api/v1/auth/logout").status_code == 204


def test_the_language_choice_lasts_only_the_session(client):
    cookie = client.get("/?lang=en").headers["set-cookie"].lower()
    assert cookie.startswith("mh_lang=en")
    assert "max-age" not in cookie and "expires" not in cookie  # a session cookie
    assert "httponly" not in cookie  # quick exit deletes it from the page
    assert client.get("/").text.startswith('<!doctype html>\n<html lang="en" dir="ltr">')
    arabic = client.get("/?lang=ar").headers["set-cookie"].lower()
    assert arabic.startswith("mh_lang=ar") and "max-age" not in arabic and "expires" not in arabic
