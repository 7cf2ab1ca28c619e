"""The administration API for municipalities: accounts with the municipalities their roles are
held in, the municipality table (create, edit, delete), the responsibility table, their audit
events, and a 403 on every admin route for anyone but an administrator."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import ModerationEvent, Municipality, Responsibility, Role, User
from app.services.reference import memberships
from tests.support.factories import login, make_report, make_user
from tests.support.routes import app_routes

USERS = "/api/v1/admin/users"
MUNICIPALITIES = "/api/v1/admin/municipalities"
RESPONSIBILITY = "/api/v1/admin/responsibility"
PHRASE = "mor leylak gece yuruyusu"


def _events(db, prefix: str, actor: User) -> list[ModerationEvent]:
    return list(
        db.scalars(
            select(ModerationEvent)
            .where(ModerationEvent.action.startswith(prefix), ModerationEvent.actor_id == actor.id)
            .order_by(ModerationEvent.id)
        )
    )


def _field_error(response, field: str) -> str:
    assert response.status_code == 422, response.text
    fields = response.json()["error"]["fields"]
    assert [f["field"] for f in fields] == [field], fields
    return fields[0]["message"]


@pytest.fixture
def admin(client, db, settings) -> User:
    user = make_user(db, settings, Role.admin)
    login(client, user)
    return user


def test_accounts_are_created_and_changed_with_their_municipalities(client, db, admin):
    created = client.post(
        USERS,
        json={
            "email": "zehra@example.org",
            "role": "moderator",
            "password": PHRASE,
            "municipalities": ["yenimahalle"],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["role"], body["municipalities"]) == ("moderator", ["yenimahalle"])
    assert "password" not in str(body) and "hash" not in str(body)
    listed = {u["email"]: u for u in client.get(USERS).json()}
    assert listed["zehra@example.org"]["municipalities"] == ["yenimahalle"]
    assert listed[admin.email]["municipalities"] == []  # a platform administrator holds none

    url = f"{USERS}/{body['id']}"
    both = client.patch(url, json={"municipalities": ["yenimahalle", "cankaya", "cankaya"]})
    assert both.status_code == 200, both.text
    assert both.json()["municipalities"] == ["cankaya", "yenimahalle"]
    planner = client.patch(url, json={"role": "planner"})  # the municipalities stay
    assert planner.json()["municipalities"] == ["cankaya", "yenimahalle"]
    promoted = client.patch(url, json={"role": "admin"})  # an admin holds none
    assert (promoted.json()["role"], promoted.json()["municipalities"]) == ("admin", [])
    demoted = client.patch(url, json={"role": "moderator", "municipalities": ["ankara"]})
    assert demoted.json()["municipalities"] == ["ankara"]

    user = db.get(User, body["id"])
    assert memberships(db, user.id) == ["ankara"]
    changes = [
        (e.before["municipalities"], e.after["municipalities"])
        for e in _events(db, "user.municipalities", admin)
    ]
    assert changes == [
        ([], ["yenimahalle"]),
        (["yenimahalle"], ["cankaya", "yenimahalle"]),
        (["cankaya", "yenimahalle"], []),
        ([], ["ankara"]),
    ]
    actions = [e.action for e in _events(db, "user.", admin) if e.target_user_id == user.id]
    assert actions == [
        "user.create",
        "user.municipalities",
        "user.municipalities",
        "user.role",
        "user.role",
        "user.municipalities",
        "user.role",
        "user.municipalities",
    ]


def test_accounts_refuse_municipalities_that_do_not_fit_the_role(client, db, settings, admin):
    def create(role: str, municipalities: list[str] | None):
        body = {"email": f"{role}-x@example.org", "role": role, "password": PHRASE}
        if municipalities is not None:
            body["municipalities"] = municipalities
        return client.post(USERS, json=body)

    users_before = db.scalar(select(func.count(User.id)))
    assert "moderator" in _field_error(create("moderator", None), "municipalities")
    assert "planner" in _field_error(create("planner", []), "municipalities")
    message = _field_error(create("admin", ["cankaya"]), "municipalities")
    assert "platform administrators" in message
    assert "'nowhere'" in _field_error(create("moderator", ["nowhere"]), "municipalities")
    assert db.scalar(select(func.count(User.id))) == users_before  # nothing half-created

    moderator = make_user(db, settings, Role.moderator, ["cankaya"])
    url = f"{USERS}/{moderator.id}"
    assert "moderator" in _field_error(
        client.patch(url, json={"municipalities": []}), "municipalities"
    )
    assert "platform" in _field_error(
        client.patch(url, json={"role": "admin", "municipalities": ["cankaya"]}),
        "municipalities",
    )
    other_admin = make_user(db, settings, Role.admin)
    assert "moderator" in _field_error(
        client.patch(f"{USERS}/{other_admin.id}", json={"role": "moderator"}), "municipalities"
    )
    db.expire_all()
    assert memberships(db, moderator.id) == ["cankaya"]
    assert db.get(User, other_admin.id).role is Role.admin
    # Deactivating needs no municipality check (an old account may hold none).
    assert client.patch(url, json={"active": False}).json()["active"] is False


def test_municipalities_are_created_edited_and_deleted(client, db, admin):
    created = client.post(
        MUNICIPALITIES,
        json={
            "code": "etimesgut",
            "name": "Etimesgut Belediyesi",
            "kind": "district",
            "parent": "ankara",
            "contact_email": "kadin@etimesgut.example",
            "map_view": {"lat": 39.95, "lon": 32.67, "zoom": 13},
            "k_threshold": 8,
            "languages": ["tr", "en"],
        },
    )
    assert created.status_code == 201, created.text
    assert created.json() == {
        "code": "etimesgut",
        "name": "Etimesgut Belediyesi",
        "kind": "district",
        "parent": "ankara",
        "mahalle": 0,
        "k_threshold": 8,
        "languages": ["tr", "en"],
        "map_view": {"lat": 39.95, "lon": 32.67, "zoom": 13},
        "contact_email": "kadin@etimesgut.example",
        "contact_phone": None,
        "website": None,
    }
    table = {m["code"]: m for m in client.get(MUNICIPALITIES).json()}
    assert set(table) == {"ankara", "cankaya", "yenimahalle", "etimesgut"}
    assert table["cankaya"]["parent"] == "ankara" and table["cankaya"]["mahalle"] == 124
    assert table["yenimahalle"]["mahalle"] == 60
    # A new district gets the default duties in its own area.
    duties = client.get(RESPONSIBILITY, params={"area": "etimesgut"}).json()
    assert {d["category_group"] for d in duties} == {"lighting", "infrastructure", "environment"}

    url = f"{MUNICIPALITIES}/etimesgut"
    edited = client.patch(
        url,
        json={"name": "T.C. Etimesgut Belediyesi", "website": "https://etimesgut.example"},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["name"] == "T.C. Etimesgut Belediyesi"
    assert edited.json()["k_threshold"] == 8  # what was not sent stays
    reset = client.patch(url, json={"k_threshold": None, "map_view": None, "languages": []})
    assert (reset.json()["k_threshold"], reset.json()["map_view"]) == (None, None)
    assert reset.json()["languages"] is None
    assert "'nowhere'" in _field_error(client.patch(url, json={"parent": "nowhere"}), "parent")
    assert "2" in _field_error(client.patch(url, json={"k_threshold": 1}), "k_threshold")
    assert client.patch(f"{MUNICIPALITIES}/nowhere", json={"name": "X"}).status_code == 404
    # What the page sends for a top-level municipality left as it was: no change, no event.
    as_it_was = {
        "name": "Ankara Büyükşehir Belediyesi",
        "kind": "metropolitan",
        "parent": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "k_threshold": None,
        "languages": [],
        "map_view": None,
    }
    unchanged = client.patch(f"{MUNICIPALITIES}/ankara", json=as_it_was)
    assert unchanged.status_code == 200, unchanged.text
    assert unchanged.json()["parent"] is None

    duplicate = client.post(
        MUNICIPALITIES, json={"code": "etimesgut", "name": "Again", "kind": "district"}
    )
    assert duplicate.status_code == 409
    bad_code = client.post(
        MUNICIPALITIES, json={"code": "Etimesgut!", "name": "X", "kind": "other"}
    )
    assert "lower-case" in _field_error(bad_code, "code")

    assert client.delete(url).status_code == 204
    assert client.get(RESPONSIBILITY, params={"area": "etimesgut"}).status_code == 422
    assert "etimesgut" not in {m["code"] for m in client.get(MUNICIPALITIES).json()}
    events = _events(db, "municipality.", admin)
    assert [e.action for e in events] == [
        "municipality.create",
        "municipality.update",
        "municipality.update",
        "municipality.delete",
    ]
    assert events[0].after["parent"] == "ankara" and events[0].municipality_id is None
    assert events[1].before["name"] == "Etimesgut Belediyesi"
    assert events[1].after["name"] == "T.C. Etimesgut Belediyesi"
    assert events[2].before["k_threshold"] == 8 and events[2].after["k_threshold"] is None
    assert events[3].before["code"] == "etimesgut"


def test_a_municipality_with_reports_is_not_deleted(client, db, settings, admin):
    make_report(db, settings)  # at Kızılay, in Çankaya
    make_user(db, settings, Role.moderator, ["cankaya"])
    cankaya = db.scalar(select(Municipality).where(Municipality.code == "cankaya"))
    duties = select(func.count(Responsibility.id)).where(Responsibility.area_id == cankaya.id)
    duties_before = db.scalar(duties)

    refused = client.delete(f"{MUNICIPALITIES}/cankaya")
    assert refused.status_code == 409, refused.text
    message = refused.json()["error"]["message"]
    assert "'cankaya' cannot be deleted" in message
    assert "reports (1)" in message and "mahalle (124)" in message
    assert "staff memberships (1)" in message
    db.expire_all()
    assert db.get(Municipality, cankaya.id) is not None
    assert db.scalar(duties) == duties_before
    assert _events(db, "municipality.delete", admin) == []
    parent = client.delete(f"{MUNICIPALITIES}/ankara")
    assert "municipalities inside it (2)" in parent.json()["error"]["message"]
    missing = client.delete(f"{MUNICIPALITIES}/nowhere")
    assert missing.status_code == 404 and "'nowhere'" in missing.json()["error"]["message"]


def test_responsibility_is_set_listed_and_removed(client, db, admin):
    rows = client.get(RESPONSIBILITY).json()
    assert {(r["area"], r["category_group"]) for r in rows} >= {
        ("ankara", "transport"),
        ("cankaya", "lighting"),
        ("yenimahalle", "environment"),
    }
    cankaya = client.get(RESPONSIBILITY, params={"area": "cankaya"}).json()
    assert {r["area"] for r in cankaya} == {"cankaya"} and len(cankaya) == 3

    url = f"{RESPONSIBILITY}/cankaya/lighting"
    named = client.put(url, json={"responsible": "cankaya", "department": " Fen İşleri Müdürlüğü "})
    assert named.status_code == 200, named.text
    assert named.json() == {
        "area": "cankaya",
        "category_group": "lighting",
        "responsible": "cankaya",
        "responsible_name": "Çankaya Belediyesi",
        "department": "Fen İşleri Müdürlüğü",
        "contact_email": None,
    }
    moved = client.put(
        url,
        json={
            "responsible": "ankara",
            "department": "Fen İşleri Dairesi",
            "contact_email": "fen@ankara.example",
        },
    )
    assert moved.json()["responsible_name"] == "Ankara Büyükşehir Belediyesi"
    same = {
        "responsible": "ankara",
        "department": "Fen İşleri Dairesi",
        "contact_email": "fen@ankara.example",
    }
    assert client.put(url, json=same).status_code == 200  # the same again: nothing to audit
    new_row = client.put(f"{RESPONSIBILITY}/cankaya/transport", json={"responsible": "ankara"})
    assert new_row.status_code == 200
    listed = {
        r["category_group"]: r
        for r in client.get(RESPONSIBILITY, params={"area": "cankaya"}).json()
    }
    assert listed["lighting"]["responsible"] == "ankara"
    assert listed["transport"]["responsible"] == "ankara"

    assert client.delete(f"{RESPONSIBILITY}/cankaya/transport").status_code == 204
    gone = client.delete(f"{RESPONSIBILITY}/cankaya/transport")
    assert gone.status_code == 404
    assert "transport" not in {
        r["category_group"] for r in client.get(RESPONSIBILITY, params={"area": "cankaya"}).json()
    }

    bad_area = client.put(f"{RESPONSIBILITY}/nowhere/lighting", json={"responsible": "ankara"})
    assert "'nowhere'" in _field_error(bad_area, "area")
    bad_body = client.put(url, json={"responsible": "nowhere"})
    assert "'nowhere'" in _field_error(bad_body, "responsible")
    bad_group = client.put(f"{RESPONSIBILITY}/cankaya/weather", json={"responsible": "ankara"})
    assert bad_group.status_code == 422
    assert bad_group.json()["error"]["fields"][0]["field"] == "category_group"
    assert "'nowhere'" in _field_error(
        client.get(RESPONSIBILITY, params={"area": "nowhere"}), "area"
    )

    events = _events(db, "responsibility.", admin)
    assert [e.action for e in events] == [
        "responsibility.set",
        "responsibility.set",
        "responsibility.set",
        "responsibility.remove",
    ]
    assert events[0].before == {
        "area": "cankaya",
        "category_group": "lighting",
        "responsible": "cankaya",
        "department": None,
        "contact_email": None,
    }
    assert events[0].after["department"] == "Fen İşleri Müdürlüğü"
    assert (events[1].before["responsible"], events[1].after["responsible"]) == (
        "cankaya",
        "ankara",
    )
    assert events[2].before is None and events[2].after["category_group"] == "transport"
    assert events[3].before["responsible"] == "ankara" and events[3].after is None
    assert all(e.municipality_id is None for e in events)  # configuration: platform-wide


def _admin_routes(app) -> list[tuple[str, str]]:
    return [(m, p) for m, p in app_routes(app) if p.startswith("/api/v1/admin")]


@pytest.mark.parametrize("role", [Role.moderator, Role.planner])
def test_every_admin_route_refuses_staff_who_are_not_administrators(
    server, client, db, settings, role
):
    routes = _admin_routes(server.app)
    assert {
        ("POST", MUNICIPALITIES),
        ("PATCH", MUNICIPALITIES + "/{code}"),
        ("DELETE", MUNICIPALITIES + "/{code}"),
        ("PUT", RESPONSIBILITY + "/{area}/{category_group}"),
        ("DELETE", RESPONSIBILITY + "/{area}/{category_group}"),
        ("GET", RESPONSIBILITY),
        ("PATCH", USERS + "/{user_id}"),
    } <= set(routes)
    login(client, make_user(db, settings, role, ["ankara"]))
    target = make_user(db, settings, Role.moderator, ["cankaya"])
    values = {"code": "cankaya", "area": "cankaya", "category_group": "lighting"}
    values["user_id"] = str(target.id)
    values |= {"key_id": "1", "hook_id": "1"}  # Open311 keys and webhooks (standards)
    for method, path in routes:
        url = path.format(**values)
        response = client.request(method, url, json={"responsible": "ankara"})
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["error"]["code"] == "not_permitted"
    db.expire_all()
    assert memberships(db, target.id) == ["cankaya"]
    assert db.scalar(select(func.count(Municipality.id))) == 3
