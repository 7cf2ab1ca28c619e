"""Accounts: password policy, login throttling, password change, administration, audit log,
and the `morharita user` commands."""

from __future__ import annotations

import csv
import io

import pytest
from argon2 import PasswordHasher, extract_parameters
from pydantic import ValidationError
from sqlalchemy import create_engine, func, make_url, select, text
from typer.testing import CliRunner

from app import localdb
from app.cli.main import app as cli_app
from app.config import Settings
from app.errors import InvalidInput
from app.models import LoginFailure, ModerationEvent, Role, User, UserSession
from app.services.accounts import auth
from tests.support.factories import PASSWORD, login, make_report, make_user
from tests.support.moderation_support import mod_url


@pytest.mark.parametrize(
    "password",
    ["short", "123456789012", "galatasaray1905", "Sifre12345", "aaaaaaaaaaaa", "ababababab"],
)
def test_weak_passwords_are_refused(db, settings, password):
    with pytest.raises(InvalidInput) as refused:
        auth.create_user(db, settings, "zeynep@example.org", password, Role.moderator)
    assert refused.value.field == "password"


def test_password_containing_the_email_name_is_refused(db, settings):
    with pytest.raises(InvalidInput, match="too easy"):
        auth.create_user(
            db, settings, "zeynep.kaya@example.org", "zeynep.kaya-2026", Role.moderator
        )


def test_common_password_list_is_shipped_with_turkish_favourites():
    common = auth.common_passwords()
    assert len(common) > 500
    assert {"123456789", "sifre123", "galatasaray", "password"} <= common


def _login(client, email, password):
    return client.post("/api/v1/auth/login", json={"email": email, "password": password})


def _hash_parameters(password_hash: str) -> tuple[int, int, int]:
    params = extract_parameters(password_hash)
    return params.time_cost, params.memory_cost, params.parallelism


def test_hashes_use_the_configured_parameters(db, settings):
    user = make_user(db, settings, Role.moderator)
    configured = (
        settings.argon2_time_cost,
        settings.argon2_memory_cost_kib,
        settings.argon2_parallelism,
    )
    assert _hash_parameters(user.password_hash) == configured == (1, 8, 1)  # cheap in tests
    assert auth.password_hasher(settings) is auth.password_hasher(settings.model_copy())


def test_a_hash_made_with_other_parameters_is_upgraded_at_log_in(client, db, settings):
    user = make_user(db, settings, Role.moderator)
    user.password_hash = PasswordHasher(time_cost=2, memory_cost=16, parallelism=2).hash(PASSWORD)
    db.flush()
    login(client, user)
    db.refresh(user)
    assert _hash_parameters(user.password_hash) == (1, 8, 1)
    assert auth.password_hasher(settings).verify(user.password_hash, PASSWORD)
    upgraded = user.password_hash
    client.cookies.clear()
    login(client, user)  # already current: left alone
    db.refresh(user)
    assert user.password_hash == upgraded


def test_weak_password_hashing_is_refused_in_production():
    production = {"_env_file": None, "environment": "production", "secret_key": "s" * 32}
    defaults = Settings(**production)  # RFC 9106's low-memory profile
    assert (defaults.argon2_time_cost, defaults.argon2_memory_cost_kib) == (3, 64 * 1024)
    assert defaults.argon2_parallelism == 4
    for weak in ({"argon2_memory_cost_kib": 8192}, {"argon2_time_cost": 1}):
        with pytest.raises(ValidationError, match="too weak for production"):
            Settings(**production, **weak)
    with pytest.raises(ValidationError, match="8 KiB per lane"):
        Settings(_env_file=None, argon2_memory_cost_kib=16, argon2_parallelism=4)


def test_throttling_starts_after_the_configured_failures_per_account(client, db, settings):
    user = make_user(db, settings, Role.moderator)
    limit = settings.login_max_failures_per_account
    for _ in range(limit):
        assert _login(client, user.email, "wrong-password-x").status_code == 401
    blocked = _login(client, user.email, PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Too many failed log-in attempts" in blocked.json()["error"]["message"]
    # Keys are salted hashes: neither the e-mail nor the address is stored.
    keys = list(db.scalars(select(LoginFailure.key_hash)))
    assert len(keys) == 2 * limit and all(len(k) == 64 for k in keys)
    assert not any(user.email in k or "127.0.0.1" in k for k in keys)
    # Another account from another client is not affected.
    other = make_user(db, settings, Role.moderator)
    assert _login(client, other.email, PASSWORD).status_code == 200


def test_throttling_per_client(client, db, settings):
    users = [make_user(db, settings, Role.moderator) for _ in range(2)]
    limit = settings.login_max_failures_per_client
    for i in range(limit):
        email = f"nobody{i}@example.org"
        assert _login(client, email, "wrong-password-x").status_code == 401
    assert _login(client, users[0].email, PASSWORD).status_code == 429


def test_success_clears_the_account_failures(client, db, settings):
    user = make_user(db, settings, Role.moderator)
    for _ in range(settings.login_max_failures_per_account - 1):
        _login(client, user.email, "wrong-password-x")
    assert _login(client, user.email, PASSWORD).status_code == 200
    assert _login(client, user.email, "wrong-password-x").status_code == 401
    assert _login(client, user.email, PASSWORD).status_code == 200


def test_login_and_failures_are_audited_without_passwords(client, db, settings):
    user = make_user(db, settings, Role.planner)
    _login(client, user.email, "wrong-password-x")
    login(client, user)
    assert client.post("/api/v1/auth/logout").status_code == 204
    events = list(
        db.scalars(
            select(ModerationEvent)
            .where(ModerationEvent.action.startswith("auth."))
            .order_by(ModerationEvent.id)
        )
    )
    assert [e.action for e in events] == ["auth.login_failed", "auth.login", "auth.logout"]
    assert events[1].actor_id == events[2].actor_id == user.id
    assert all(
        "wrong-password" not in str(e.after) and PASSWORD not in str(e.after) for e in events
    )


def test_password_change_needs_the_current_one_and_ends_other_sessions(
    client, db, server, settings
):
    import httpx

    user = make_user(db, settings, Role.moderator)
    with httpx.Client(base_url=server.url) as other_device:
        login(other_device, user)
        login(client, user)
        url = "/api/v1/auth/password"
        wrong = client.post(url, json={"current_password": "nope", "new_password": "x" * 12})
        assert wrong.status_code == 422
        assert wrong.json()["error"]["fields"][0]["field"] == "current_password"
        weak = client.post(url, json={"current_password": PASSWORD, "new_password": "123456789012"})
        assert weak.status_code == 422
        assert weak.json()["error"]["fields"][0]["field"] == "new_password"
        new = "violet lanterns on the hill"
        ok = client.post(url, json={"current_password": PASSWORD, "new_password": new})
        assert ok.status_code == 204
        assert client.get("/api/v1/auth/me").status_code == 200  # this session stays
        assert other_device.get("/api/v1/auth/me").status_code == 401  # the other ended
    assert (
        db.scalar(select(func.count(UserSession.token_hash)).where(UserSession.user_id == user.id))
        == 1
    )
    client.cookies.clear()
    assert _login(client, user.email, new).status_code == 200
    db.refresh(user)
    assert user.password_changed_at is not None


def test_admin_creates_changes_role_deactivates_and_reactivates(client, db, server, settings):
    import httpx

    admin = make_user(db, settings, Role.admin)
    login(client, admin)
    created = client.post(
        "/api/v1/admin/users",
        json={
            "email": "Gonullu@Example.org",
            "role": "moderator",
            "password": "mor gece yuruyusu",
            "municipalities": ["cankaya"],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == "gonullu@example.org" and body["active"] is True
    assert "password" not in str(body) and "hash" not in str(body)
    user_id = body["id"]
    weak = client.post(
        "/api/v1/admin/users",
        json={
            "email": "x@example.org",
            "role": "planner",
            "password": "123456789",
            "municipalities": ["ankara"],
        },
    )
    assert weak.status_code == 422
    duplicate = client.post(
        "/api/v1/admin/users",
        json={
            "email": "gonullu@example.org",
            "role": "planner",
            "password": "another long phrase",
            "municipalities": ["ankara"],
        },
    )
    assert duplicate.status_code == 409

    with httpx.Client(base_url=server.url) as volunteer:
        r = volunteer.post(
            "/api/v1/auth/login",
            json={"email": "gonullu@example.org", "password": "mor gece yuruyusu"},
        )
        assert r.status_code == 200
        url = f"/api/v1/admin/users/{user_id}"
        assert client.patch(url, json={"role": "planner"}).json()["role"] == "planner"
        assert volunteer.get("/api/v1/moderation/reports").status_code == 403
        assert client.patch(url, json={"active": False}).json()["active"] is False
        assert volunteer.get("/api/v1/auth/me").status_code == 401
        again = volunteer.post(
            "/api/v1/auth/login",
            json={"email": "gonullu@example.org", "password": "mor gece yuruyusu"},
        )
        assert again.status_code == 401
        assert client.patch(url, json={"active": True}).json()["active"] is True
    listed = client.get("/api/v1/admin/users").json()
    assert {u["email"] for u in listed} >= {admin.email, "gonullu@example.org"}
    actions = list(
        db.scalars(
            select(ModerationEvent.action)
            .where(ModerationEvent.target_user_id == user_id, ModerationEvent.actor_id == admin.id)
            .order_by(ModerationEvent.id)
        )
    )
    assert actions == [
        "user.create",
        "user.municipalities",
        "user.role",
        "user.deactivate",
        "user.reactivate",
    ]
    assert client.patch("/api/v1/admin/users/999999", json={"active": False}).status_code == 404


def test_last_active_admin_cannot_be_demoted_or_deactivated(client, db, settings):
    for user in db.scalars(select(User).where(User.role == Role.admin)):
        user.active = False
    admin = make_user(db, settings, Role.admin)
    login(client, admin)
    url = f"/api/v1/admin/users/{admin.id}"
    assert client.patch(url, json={"role": "moderator"}).status_code == 409
    assert client.patch(url, json={"active": False}).status_code == 409
    db.refresh(admin)
    assert admin.role is Role.admin and admin.active


def test_audit_log_filters_pages_and_exports_csv(client, db, settings):
    report, _ = make_report(db, settings)
    other, _ = make_report(db, settings)
    moderator = make_user(db, settings, Role.moderator)
    login(client, moderator)
    client.post(mod_url(report, "approve"))
    client.post(mod_url(other, "reject"), json={"reason": "other", "note": '=HYPERLINK("x")'})
    login(client, make_user(db, settings, Role.admin))
    url = "/api/v1/admin/audit"
    by_actor = client.get(url, params={"actor": moderator.email, "action": "report."}).json()
    assert by_actor["total"] == 2
    assert [i["action"] for i in by_actor["items"]] == ["report.reject", "report.approve"]
    assert by_actor["items"][0]["reason"] == "other"
    by_report = client.get(url, params={"report": report.public_id}).json()
    assert [i["action"] for i in by_report["items"]] == ["report.approve"]
    assert by_report["items"][0]["before"] == {"status": "pending"}
    paged = client.get(url, params={"limit": 1, "offset": 1, "actor": moderator.email}).json()
    assert paged["total"] >= 3 and len(paged["items"]) == 1
    logins = client.get(url, params={"action": "auth.login", "actor": moderator.email}).json()
    assert logins["total"] == 1
    from datetime import date, timedelta

    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert client.get(url, params={"since": tomorrow}).json()["total"] == 0

    exported = client.get(url + ".csv", params={"actor": moderator.email, "action": "report."})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "created_at", "actor", "action"]
    assert [r[3] for r in rows[1:]] == ["report.reject", "report.approve"]
    assert rows[1][7] == '\'=HYPERLINK("x")'  # no formula reaches a spreadsheet


runner = CliRunner()


@pytest.fixture(scope="module")
def cli_env(database_url):
    url = localdb.recreate_database(database_url, make_url(database_url).database + "_users")
    env = {"DATABASE_URL": url}
    assert runner.invoke(cli_app, ["migrate"], env=env).exit_code == 0
    created = runner.invoke(
        cli_app,
        ["municipality", "create", "cankaya", "--name", "Çankaya Belediyesi", "--kind", "district"],
        env=env,
    )
    assert created.exit_code == 0, created.output
    return env


def test_user_commands(cli_env):
    def run(*args):
        result = runner.invoke(cli_app, ["user", *args], env=cli_env)
        return result.exit_code, result.output

    code, out = run(
        "create", "--email", "a@example.org", "--role", "admin", "--password", "galatas"
    )
    assert code == 1 and "at least 10" in out
    code, out = run(
        "create", "--email", "a@example.org", "--role", "admin", "--password", "sifre12345"
    )
    assert code == 1 and "too easy" in out
    assert (
        run(
            "create",
            "--email",
            "a@example.org",
            "--role",
            "admin",
            "--password",
            "lilac evening walk",
        )[0]
        == 0
    )
    assert (
        run(
            "create",
            "--email",
            "m@example.org",
            "--role",
            "moderator",
            "--password",
            "lilac evening walk",
            "--municipality",
            "cankaya",
        )[0]
        == 0
    )
    code, out = run("set-role", "m@example.org", "planner")
    assert code == 0 and "planner, active" in out
    code, out = run("deactivate", "m@example.org")
    assert code == 0 and "inactive" in out
    code, out = run("deactivate", "a@example.org")
    assert code == 1 and "last active administrator" in out
    code, out = run("reactivate", "m@example.org")
    assert code == 0 and "planner, active" in out
    code, out = run("list")
    assert "a@example.org\tadmin\tactive\t*" in out
    assert "m@example.org\tplanner\tactive\tcankaya" in out
    code, out = run("deactivate", "nobody@example.org")
    assert code == 1 and "No user" in out
    engine = create_engine(cli_env["DATABASE_URL"])
    with engine.connect() as conn:
        actions = (
            conn.execute(
                text("SELECT action FROM moderation_event WHERE action LIKE 'user.%' ORDER BY id")
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert actions == [
        "user.create",
        "user.create",
        "user.municipalities",
        "user.role",
        "user.deactivate",
        "user.reactivate",
    ]
