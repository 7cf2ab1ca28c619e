"""Approval waits for the personal-data hints of the public text: redact, or override with a
reason (audited with the hint kinds, never the data); bulk approval skips and lists them."""

from __future__ import annotations

import json

import pytest

from app.models import ReportStatus, Role
from tests.support.factories import login, make_report, make_user
from tests.support.moderation_support import events_for, mod_url

PHONE = "0532 123 45 67"
FLAGGED = {
    "phone": f"Ara beni {PHONE}, lamba yanmıyor.",
    "tc_kimlik": "Kimliğim 10000000146 idi.",
    "plate": "34 ABC 123 plakalı araç bekliyordu.",
    "email": "Yazın: ayse@example.com",
    "url": "Bakın: instagram.com/birisi",
}


@pytest.mark.parametrize("kind", sorted(FLAGGED))
def test_approve_is_refused_while_the_public_text_has_hints(client, db, settings, kind):
    report, _ = make_report(db, settings, text=FLAGGED[kind])
    login(client, make_user(db, settings, Role.moderator))
    response = client.post(mod_url(report, "approve"))
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "personal_data_hints"
    assert error["details"] == {"hint_kinds": [kind]}
    assert "Redact" in error["message"]
    db.refresh(report)
    assert report.status is ReportStatus.pending
    assert events_for(db, report) == []


def test_redaction_resolves_the_hints(client, db, settings):
    report, _ = make_report(db, settings, text=FLAGGED["phone"])
    login(client, make_user(db, settings, Role.moderator))
    redacted = FLAGGED["phone"].replace(PHONE, "[telefon]")
    assert client.post(mod_url(report, "redact"), json={"redacted_text": redacted}).is_success
    response = client.post(mod_url(report, "approve"))
    assert response.status_code == 200 and response.json()["status"] == "published"
    approve = events_for(db, report)[-1]
    assert approve.action == "report.approve" and approve.reason is None


def test_a_redaction_that_leaves_a_hint_is_still_refused(client, db, settings):
    report, _ = make_report(db, settings, text=f"{FLAGGED['phone']} {FLAGGED['email']}")
    login(client, make_user(db, settings, Role.moderator))
    partly = FLAGGED["phone"].replace(PHONE, "[telefon]") + " " + FLAGGED["email"]
    client.post(mod_url(report, "redact"), json={"redacted_text": partly})
    response = client.post(mod_url(report, "approve"))
    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"hint_kinds": ["email"]}


def test_override_with_a_reason_is_audited_without_the_data(client, db, settings):
    report, _ = make_report(db, settings, text=f"{FLAGGED['phone']} {FLAGGED['email']}")
    login(client, make_user(db, settings, Role.moderator))
    reason = "Kadın danışma hattının numarası, kişisel değil."
    body = {"override_pii": {"reason": reason}}
    response = client.post(mod_url(report, "approve"), json=body)
    assert response.status_code == 200 and response.json()["status"] == "published"
    [event] = events_for(db, report)
    assert event.action == "report.approve"
    assert event.reason == "personal_data_override"
    assert event.note == reason
    assert event.after["personal_data_override"] == {"hint_kinds": ["email", "phone"]}
    logged = json.dumps([event.before, event.after, event.note, event.reason])
    assert PHONE not in logged and "ayse@example.com" not in logged


@pytest.mark.parametrize(
    "body",
    [
        {"override_pii": {"reason": ""}},
        {"override_pii": {"reason": "   "}},
        {"override_pii": {}},
        {"override_pii": "yes"},
        {"override": True},
    ],
    ids=["empty", "blank", "no-reason", "not-an-object", "unknown-field"],
)
def test_an_override_needs_a_reason(client, db, settings, body):
    report, _ = make_report(db, settings, text=FLAGGED["phone"])
    login(client, make_user(db, settings, Role.moderator))
    response = client.post(mod_url(report, "approve"), json=body)
    assert response.status_code == 422
    db.refresh(report)
    assert report.status is ReportStatus.pending


def test_clean_text_needs_no_override_and_records_none(client, db, settings):
    report, _ = make_report(db, settings, text="Sokak lambası yanmıyor.")
    login(client, make_user(db, settings, Role.moderator))
    body = {"override_pii": {"reason": "nothing to override"}}
    assert client.post(mod_url(report, "approve"), json=body).status_code == 200
    [event] = events_for(db, report)
    assert event.reason is None and "personal_data_override" not in event.after


def test_hints_in_the_original_only_do_not_block(client, db, settings):
    """A redaction that removed the number: the original keeps it, the public text does not."""
    report, _ = make_report(db, settings, text=FLAGGED["plate"])
    login(client, make_user(db, settings, Role.moderator))
    client.post(mod_url(report, "redact"), json={"redacted_text": "Bir araç bekliyordu."})
    assert client.post(mod_url(report, "approve")).status_code == 200


def test_re_approving_a_hidden_report_checks_again(client, db, settings):
    report, _ = make_report(db, settings, text=FLAGGED["url"], status=ReportStatus.hidden)
    login(client, make_user(db, settings, Role.moderator))
    assert client.post(mod_url(report, "approve")).status_code == 409


def test_a_rejected_report_is_refused_for_its_status_first(client, db, settings):
    report, _ = make_report(db, settings, text=FLAGGED["phone"], status=ReportStatus.rejected)
    login(client, make_user(db, settings, Role.moderator))
    response = client.post(mod_url(report, "approve"))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_bulk_approve_skips_and_lists_the_flagged(client, db, settings):
    clean, _ = make_report(db, settings, text="Kaldırım kırık.")
    flagged, _ = make_report(db, settings, text=FLAGGED["phone"])
    login(client, make_user(db, settings, Role.moderator))
    body = {"action": "approve", "public_ids": [clean.public_id, flagged.public_id]}
    response = client.post("/api/v1/moderation/bulk", json=body)
    assert response.status_code == 200
    result = response.json()
    assert result["succeeded"] == 1 and result["failed"] == 1
    assert result["personal_data"] == [flagged.public_id]
    by_id = {i["public_id"]: i for i in result["items"]}
    assert by_id[flagged.public_id]["code"] == "personal_data_hints"
    assert by_id[flagged.public_id]["hint_kinds"] == ["phone"]
    assert PHONE not in json.dumps(result)
    db.refresh(clean)
    db.refresh(flagged)
    assert clean.status is ReportStatus.published
    assert flagged.status is ReportStatus.pending
    assert events_for(db, flagged) == []
