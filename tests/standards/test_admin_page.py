"""The administration page lists Open311 keys, webhooks and the delivery log, Turkish first."""

from __future__ import annotations

from app.models import Role
from app.services import events, standards
from tests.standards.receiver import receiver
from tests.standards.support import new_key, published
from tests.support.factories import login, make_user


def test_admin_page_shows_keys_hooks_and_deliveries(client, db, settings, session_factory):
    key = new_key(db)
    admin = make_user(db, settings, Role.admin)
    with receiver() as hook_receiver:
        _, secret = standards.create_hook(
            db, admin, None, "cankaya", hook_receiver.url, ["published"]
        )
        hook_receiver.secret = secret
        db.flush()
        report = published(db, settings)
        events.emit(db, events.PUBLISHED, report)
        assert standards.run_once(session_factory) == (1, 1)
    assert hook_receiver.received[0]["signed"]
    login(client, admin)
    page = client.get("/admin/users")
    assert page.status_code == 200
    html = page.text
    assert "Open311 ve web kancaları" in html and "Teslim kaydı" in html
    assert key[:12] in html and key not in html and secret not in html
    assert hook_receiver.url in html and "teslim edildi" in html and "bildirim yayımlandı" in html
    english = client.get("/admin/users", params={"lang": "en"}).text
    assert "Delivery log" in english and "delivered" in english
    login(client, make_user(db, settings, Role.moderator, ["cankaya"]))
    assert client.get("/admin/users", follow_redirects=False).status_code == 403
