"""Webhooks without a separate command: `morharita serve` delivers them from its lifespan,
once each with several worker processes, stops cleanly, and can be switched off.

These tests commit for real (a served app in its own processes cannot see a test's
transaction), and delete what they made afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from app.config import Settings
from app.models import Role
from tests.conftest import LiveServer
from tests.standards.receiver import receiver
from tests.standards.support import EXACT
from tests.support.factories import login, make_report, make_user
from tests.support.moderation_support import mod_url

MORHARITA = Path(sys.executable).parent / "morharita"
HOOK_URLS = "http://127.0.0.1:%/hook-loop-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _cleanup(engine, report_ids, user_ids) -> None:
    with engine.begin() as conn:
        # The audit log is append-only by a trigger; this cleanup alone may bypass it.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        params = {"reports": list(report_ids), "users": list(user_ids)}
        for statement in (
            "DELETE FROM webhook_delivery WHERE event_id IN"
            " (SELECT id FROM webhook_event WHERE report_id = ANY(:reports))"
            f" OR webhook_id IN (SELECT id FROM webhook WHERE url LIKE '{HOOK_URLS}')",
            "DELETE FROM webhook_event WHERE report_id = ANY(:reports)",
            f"DELETE FROM webhook WHERE url LIKE '{HOOK_URLS}'",
            "DELETE FROM moderation_event WHERE report_id = ANY(:reports)"
            " OR actor_id = ANY(:users) OR target_user_id = ANY(:users)",
            "DELETE FROM open311_request WHERE report_id = ANY(:reports)",
            "DELETE FROM report_photo WHERE report_id = ANY(:reports)",
            "DELETE FROM confirmation WHERE report_id = ANY(:reports)",
            "DELETE FROM report_note WHERE report_id = ANY(:reports)",
            "DELETE FROM report WHERE id = ANY(:reports)",
            # Replica mode skips the foreign keys' ON DELETE CASCADE too: memberships by hand.
            "DELETE FROM staff_membership WHERE user_id = ANY(:users)",
            "DELETE FROM app_user WHERE id = ANY(:users)",
        ):
            conn.execute(text(statement), params)


@pytest.fixture
def committed(engine, settings):
    """A session whose commits are real; what the test made through it is deleted after."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    made: dict[str, set] = {"reports": set(), "users": set()}
    with factory() as session:
        yield session, made
    _cleanup(engine, made["reports"], made["users"])


def _serve(settings: Settings, port: int, workers: int, log: Path, **env) -> subprocess.Popen:
    environment = os.environ | {
        "DATABASE_URL": settings.database_url or "",
        "MORHARITA_ENVIRONMENT": "test",
        "MORHARITA_SECRET_KEY": settings.secret_key,
        "MORHARITA_TILE_URL": "",
        "MORHARITA_WEBHOOKS_INTERVAL_S": "0.3",
        **env,
    }
    process = subprocess.Popen(
        [str(MORHARITA), "serve", "--port", str(port), "--workers", str(workers)],
        env=environment,
        cwd=log.parent,  # no stray .env
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    raise AssertionError("morharita serve did not start:\n" + log.read_text())


def _publish_with_hook(session, made, settings, base: str, url: str) -> tuple[str, str]:
    """A committed pending report in Çankaya, a hook for "published" on Çankaya, then the
    report approved over HTTP; returns (the hook's secret, the report's public id)."""
    admin = make_user(session, settings, Role.admin)
    moderator = make_user(session, settings, Role.moderator, ["cankaya"])
    report, _ = make_report(session, settings, lon=EXACT[0], lat=EXACT[1], text="Lamba yok.")
    session.commit()
    made["users"] |= {admin.id, moderator.id}
    made["reports"].add(report.id)
    with httpx.Client(base_url=base, timeout=30) as client:
        login(client, admin)
        created = client.post(
            "/api/v1/admin/webhooks",
            json={"municipality": "cankaya", "url": url, "events": ["published"]},
        )
        assert created.status_code == 201, created.text
        client.cookies.clear()
        login(client, moderator)
        approved = client.post(mod_url(report, "approve"), json={})
        assert approved.status_code == 200, approved.text
    return created.json()["secret"], report.public_id


def test_a_served_app_delivers_a_signed_published_event_once(committed, settings, tmp_path):
    session, made = committed
    port = _free_port()
    log = tmp_path / "serve.log"
    process = _serve(settings, port, workers=2, log=log)
    try:
        with receiver() as hook:
            url = hook.url.rstrip("/") + "/hook-loop-test"
            hook.secret, public_id = _publish_with_hook(
                session, made, settings, f"http://127.0.0.1:{port}", url
            )
            deadline = time.monotonic() + 30
            while not hook.received and time.monotonic() < deadline:
                time.sleep(0.1)
            assert hook.received, "no delivery without `morharita webhooks run`:\n" + (
                log.read_text()
            )
            time.sleep(2.0)  # several rounds of both processes: still one delivery
            got = list(hook.received)
        assert len(got) == 1
        assert got[0]["signed"] and got[0]["event"] == "published"
        assert got[0]["json"]["request"]["service_request_id"] == public_id
        state = session.execute(
            text(
                "SELECT d.state::text, d.attempts, d.last_status FROM webhook_delivery d"
                " JOIN webhook_event e ON e.id = d.event_id JOIN report r ON r.id = e.report_id"
                " WHERE r.public_id = :p"
            ),
            {"p": public_id},
        ).all()
        assert [tuple(row) for row in state] == [("delivered", 1, 200)]
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    output = log.read_text()
    assert code == 0, output
    assert "Traceback" not in output and "did not stop in time" not in output, output


def test_switched_off_nothing_is_sent_and_the_event_waits(committed, settings, tmp_path):
    session, made = committed
    port = _free_port()
    log = tmp_path / "serve.log"
    process = _serve(settings, port, workers=1, log=log, MORHARITA_WEBHOOKS_WORKER="0")
    try:
        with receiver() as hook:
            url = hook.url.rstrip("/") + "/hook-loop-test"
            _, public_id = _publish_with_hook(
                session, made, settings, f"http://127.0.0.1:{port}", url
            )
            time.sleep(1.5)  # five intervals of a loop that would be running
            assert hook.received == []
        waiting = session.execute(
            text(
                "SELECT e.dispatched_at IS NULL FROM webhook_event e"
                " JOIN report r ON r.id = e.report_id WHERE r.public_id = :p"
            ),
            {"p": public_id},
        ).scalars()
        assert list(waiting) == [True]  # left for `morharita webhooks run`
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_the_loop_runs_in_the_lifespan_and_stops_with_it(settings, engine):
    server = LiveServer(
        settings.model_copy(update={"webhooks_worker": True, "webhooks_interval_s": 0.1})
    )
    server.start()
    loop = server.app.state.webhook_loop
    try:
        deadline = time.monotonic() + 10
        while loop.rounds < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert loop.running and loop.rounds >= 3
    finally:
        server.stop()
    assert not server.thread.is_alive()
    assert not loop.running  # stopped by the lifespan's shutdown
    off = LiveServer(settings)  # the tests' settings: webhooks_worker=False
    off.start()
    try:
        assert off.app.state.webhook_loop is None
    finally:
        off.stop()
