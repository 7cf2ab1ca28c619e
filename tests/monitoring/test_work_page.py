"""The plan's staff work page: each role sees the sections it may act in; others nothing."""

from __future__ import annotations

from app.models import Role
from tests.monitoring.support import YEAR, build_plan
from tests.support.factories import login, make_user


def _page(client, user=None):
    client.cookies.clear()
    if user is not None:
        login(client, user)
    return client.get("/plans/YEEP-TEST/work", follow_redirects=False)


def test_each_role_sees_its_own_sections(client, db, settings):
    world = build_plan(db, settings)
    reporter = _page(client, world.reporter)
    assert reporter.status_code == 200
    text = reporter.text
    assert "İlerleme bildirin" in text and "fen-isleri" in text
    assert 'value="1.1.1"' in text and 'value="1.1.2"' not in text  # another unit's activity
    assert f'<option value="{YEAR}">' in text
    assert "İncelenmeyi bekleyen güncellemeler" not in text
    assert "İzleme Heyeti değerlendirmesi" not in text

    planner = _page(client, world.planner).text
    assert 'value="1.1.1"' in planner and 'value="1.1.2"' in planner
    assert "İncelenmeyi bekleyen güncellemeler" in planner and "Raporlama dönemleri" in planner
    assert "İzleme Heyeti değerlendirmesi" not in planner

    monitor = _page(client, world.monitor).text
    assert "İzleme Heyeti değerlendirmesi" in monitor
    assert "İlerleme bildirin" not in monitor and "İncelenmeyi bekleyen" not in monitor
    _page(client, world.planner)
    public = client.get("/plans/YEEP-TEST")
    assert 'href="/plans/YEEP-TEST/work"' in public.text  # her plan page links to it


def test_outsiders_get_nothing(client, db, settings):
    build_plan(db, settings)
    anonymous = _page(client)
    assert (
        anonymous.status_code == 303
        and "/login?next=/plans/YEEP-TEST/work" in anonymous.headers["location"]
    )
    for outsider in (
        make_user(db, settings, Role.planner, ["yenimahalle"]),
        make_user(db, settings, Role.moderator, ["cankaya"]),
    ):
        answer = _page(client, outsider)
        assert answer.status_code == 404, (outsider.role, answer.status_code)
        assert "İlerleme bildirin" not in answer.text
    client.cookies.clear()
    assert 'href="/plans/YEEP-TEST/work"' not in client.get("/plans/YEEP-TEST").text
