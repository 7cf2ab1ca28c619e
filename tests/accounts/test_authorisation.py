"""The authorisation matrix: every moderation, municipal, admin and account route against
anonymous, moderator, planner and admin; CSRF refusal; every non-public route authenticated."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from app.models import ReportStatus, Role
from tests.support.factories import KIZILAY, PASSWORD, login, make_report, make_user
from tests.support.routes import app_routes

M, P, A = Role.moderator, Role.planner, Role.admin
ROLES = [None, M, P, A]


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str  # {pending}, {other}, {published}, {user} are filled per test
    body: Any
    allowed: frozenset[Role]  # admin is always in it
    ok: int


MODERATORS = frozenset({M, A})
MUNICIPAL = frozenset({M, P, A})
ADMINS = frozenset({A})
STAFF = frozenset({M, P, A})
BASE = "/api/v1/moderation/reports/{pending}"

CALLS = [
    Call("queue", "GET", "/api/v1/moderation/reports", None, MODERATORS, 200),
    Call("queue mahalle", "GET", "/api/v1/moderation/mahalle", None, MODERATORS, 200),
    Call(
        "approve",
        "POST",
        BASE + "/approve",
        {"override_pii": {"reason": "the number is the municipality's helpline"}},
        MODERATORS,
        200,
    ),
    Call("reject", "POST", BASE + "/reject", {"reason": "spam"}, MODERATORS, 200),
    Call("hide", "POST", "/api/v1/moderation/reports/{published}/hide", {}, MODERATORS, 200),
    Call("redact", "POST", BASE + "/redact", {"redacted_text": "[telefon]"}, MODERATORS, 200),
    Call("category", "POST", BASE + "/category", {"category": "unsafe_park"}, MODERATORS, 200),
    Call(
        "location",
        "POST",
        BASE + "/location",
        {"location": {"lon": KIZILAY[0] + 0.0005, "lat": KIZILAY[1]}},
        MODERATORS,
        200,
    ),
    Call("merge", "POST", BASE + "/merge", {"into": "{other}"}, MODERATORS, 200),
    Call("note", "POST", BASE + "/notes", {"body": "Teşekkürler."}, MODERATORS, 201),
    Call("lock", "POST", BASE + "/lock", None, MODERATORS, 200),
    Call("unlock", "DELETE", BASE + "/lock", None, MODERATORS, 204),
    Call(
        "bulk",
        "POST",
        "/api/v1/moderation/bulk",
        {"action": "approve", "public_ids": ["{pending}"]},
        MODERATORS,
        200,
    ),
    Call("municipal list", "GET", "/api/v1/municipal/reports", None, MUNICIPAL, 200),
    Call(
        "municipal forward",
        "POST",
        "/api/v1/municipal/reports/{published}/status",
        {"status": "forwarded", "note": "Fen İşlerine iletildi.", "department": "Fen İşleri"},
        MUNICIPAL,
        201,
    ),
    Call("users", "GET", "/api/v1/admin/users", None, ADMINS, 200),
    Call(
        "create user",
        "POST",
        "/api/v1/admin/users",
        {
            "email": "new-planner@example.org",
            "role": "planner",
            "password": "mor harita yeni kullanici",
            "municipalities": ["ankara"],
        },
        ADMINS,
        201,
    ),
    Call("update user", "PATCH", "/api/v1/admin/users/{user}", {"role": "planner"}, ADMINS, 200),
    Call("audit", "GET", "/api/v1/admin/audit", None, ADMINS, 200),
    Call("audit csv", "GET", "/api/v1/admin/audit.csv", None, ADMINS, 200),
    Call("me", "GET", "/api/v1/auth/me", None, STAFF, 200),
    Call(
        "password",
        "POST",
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "a brand new passphrase 42"},
        STAFF,
        204,
    ),
]


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _setup(db, settings) -> dict[str, str]:
    pending, _ = make_report(db, settings, text="Ara beni 0532 123 45 67")
    other, _ = make_report(db, settings)
    published, _ = make_report(db, settings, status=ReportStatus.published)
    target = make_user(db, settings, Role.moderator)
    return {
        "pending": pending.public_id,
        "other": other.public_id,
        "published": published.public_id,
        "user": str(target.id),
    }


def _send(client, call: Call, ids: dict[str, str], **kwargs):
    body = _fill(call.body, ids)
    return client.request(
        call.method, _fill(call.path, ids), json=body if body is not None else None, **kwargs
    )


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.name)
def test_authorisation_matrix(client, db, settings, call, role):
    ids = _setup(db, settings)
    if role is not None:
        login(client, make_user(db, settings, role))
    response = _send(client, call, ids)
    if role is None:
        expected = 401
    elif role in call.allowed:
        expected = call.ok
    else:
        expected = 403
    assert response.status_code == expected, response.text
    if expected in (401, 403):
        assert response.json()["error"]["code"] in {"not_authenticated", "not_permitted"}


STATE_CHANGING = [c for c in CALLS if c.method not in ("GET", "HEAD")]


@pytest.mark.parametrize("call", STATE_CHANGING, ids=lambda c: c.name)
def test_state_changing_call_without_csrf_token_is_refused(client, db, settings, call):
    ids = _setup(db, settings)
    login(client, make_user(db, settings, Role.admin))
    del client.headers["X-CSRF-Token"]
    response = _send(client, call, ids)
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "csrf_failed"
    wrong = _send(client, call, ids, headers={"X-CSRF-Token": "f" * 64})
    assert wrong.status_code == 403


# Routes anyone may call. Everything else must refuse an anonymous visitor.
PUBLIC = {
    ("GET", "/health"),
    ("GET", "/api/v1/categories"),
    ("GET", "/api/v1/municipalities"),
    ("GET", "/api/v1/reports"),
    ("POST", "/api/v1/reports"),
    ("GET", "/api/v1/indicators"),
    ("GET", "/api/v1/indicators/definitions"),
    ("GET", "/api/v1/indicators/perturbation"),  # the published noise table
    ("GET", "/api/v1/reports/nearby"),
    ("POST", "/api/v1/reports/{public_id}/confirmations"),
    ("GET", "/api/v1/photos/{photo_id}"),  # published, non-sensitive only (else 404)
    ("GET", "/api/v1/mahalle"),
    ("GET", "/api/v1/plans"),  # equality plans past their draft
    ("GET", "/api/v1/plans/{code}"),
    ("GET", "/api/v1/plans/{code}/data.csv"),
    ("GET", "/api/v1/plans/{code}/data.json"),
    ("GET", "/api/v1/plans/{code}/data.geojson"),
    ("GET", "/api/v1/assessments/{assessment_id}"),  # published ones only (else 404)
    ("GET", "/api/v1/evidence/{evidence_id}"),
    ("GET", "/api/v1/plans/{code}/reports"),
    ("GET", "/api/v1/plans/compare"),  # published values only, as on the plan pages
    ("GET", "/api/v1/plans/targets"),  # public items of plans past their draft
    ("GET", "/api/v1/plans/{code}/interventions"),  # public ones only
    ("GET", "/api/v1/plans/{code}/interventions/{intervention}"),  # protected counts
    ("GET", "/api/v1/monitoring-reports/{report_id}.html"),
    (
        "GET",
        "/api/v1/monitoring-reports/{report_id}.pdf",
    ),  # of public updates, not private (else 404)
    ("GET", "/api/v1/area"),
    ("GET", "/api/v1/audits/points"),  # approved walks' points, displaced, scores only
    ("GET", "/api/v1/audits/tiles/{z}/{y}/{x}"),  # the same points by tile, counts protected
    ("GET", "/api/v1/services"),
    ("GET", "/api/v1/services/nearest"),
    ("POST", "/api/v1/track"),  # the tracking code is the credential
    ("POST", "/api/v1/track/comments"),
    ("POST", "/api/v1/track/delete"),
    ("GET", "/track"),
    ("GET", "/plans"),
    ("GET", "/plans/{code}"),
    ("GET", "/plans/compare"),
    ("GET", "/plans/{code}/interventions/{intervention}"),
    ("GET", "/sw.js"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/"),
    ("GET", "/m/{code}"),  # the map of one municipality: the same page as /?municipality=
    ("GET", "/login"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/redoc"),
    # Open311 GeoReport v2: public reads; a POST's credential is its api_key (else 403).
    ("GET", "/open311/v2/discovery.{fmt}"),
    ("GET", "/open311/v2/services.{fmt}"),
    ("GET", "/open311/v2/services/{code}.{fmt}"),
    ("GET", "/open311/v2/requests.{fmt}"),
    ("POST", "/open311/v2/requests.{fmt}"),
    ("GET", "/open311/v2/requests/{public_id}.{fmt}"),
    ("GET", "/open311/v2/tokens/{token}.{fmt}"),  # the token is the credential
    ("GET", "/feeds/{municipality}.atom"),
    ("GET", "/feeds/{municipality}/{mahalle:path}.atom"),
    # OGC API Features: public collections; planners' refuse without a token (tests/standards)
    ("GET", "/ogc"),
    ("GET", "/ogc/"),
    ("GET", "/ogc/conformance"),
    ("GET", "/ogc/api"),
    ("GET", "/ogc/collections"),
    ("GET", "/ogc/collections/{collection_id}"),
    ("GET", "/ogc/collections/{collection_id}/queryables"),
    ("GET", "/ogc/collections/{collection_id}/items"),
    ("GET", "/ogc/collections/{collection_id}/items/{feature_id:path}"),
    # Vector tiles of the public layers (OGC API - Tiles): the one visibility rule, protected
    # counts, displaced non-sensitive points only.
    ("GET", "/ogc/tileMatrixSets"),
    ("GET", "/ogc/tileMatrixSets/{tms_id}"),
    ("GET", "/ogc/collections/{collection_id}/tiles"),
    ("GET", "/ogc/collections/{collection_id}/tiles/{tms_id}"),
    ("GET", "/ogc/collections/{collection_id}/tiles/{tms_id}/{z}/{y}/{x}"),
}


def test_every_route_outside_the_public_api_refuses_anonymous_users(server, client):
    routes = app_routes(server.app)
    assert ("POST", "/api/v1/moderation/reports/{public_id}/approve") in routes
    protected = [r for r in routes if r not in PUBLIC]
    assert len(protected) >= len(CALLS)
    for method, path in protected:
        url = path.replace("{", "").replace("}", "")  # any value will do for the parameters
        response = client.request(method, url, follow_redirects=False)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
        else:  # a page: to the log-in form
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    [
        ("/moderation", M, 200),
        ("/moderation", P, 403),
        ("/audits", M, 200),
        ("/audits", P, 403),
        ("/admin/users", M, 403),
        ("/admin/users", A, 200),
        ("/admin/audit", P, 403),
        ("/admin/audit", A, 200),
        ("/account", P, 200),
        ("/municipal", P, 200),
        ("/municipal", M, 200),
    ],
)
def test_staff_pages_by_role(client, db, path, role, expected, settings):
    login(client, make_user(db, settings, role))
    assert client.get(path).status_code == expected


def test_login_page_sends_only_to_local_paths(client):
    from app.api.pages.staff import safe_next

    assert safe_next("/admin/audit?actor=a") == "/admin/audit?actor=a"
    assert safe_next("//evil.example/x") == "/moderation"
    assert safe_next("https://evil.example") == "/moderation"
    assert safe_next("/\t/evil.example") == "/moderation"
    assert safe_next("/\\evil.example") == "/moderation"
    page = client.get("/login", params={"next": "//evil.example"})
    assert page.status_code == 200 and "evil.example" not in page.text
