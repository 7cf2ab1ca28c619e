"""The map page of one municipality, server side: `/?municipality=`, the path form `/m/CODE`,
the 404 page for an unknown one, and the languages it offers in the switch."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import update

from app.models import Municipality


def page_config(html: str) -> dict:
    return json.loads(re.search(r'id="config">(.*?)</script>', html, re.S).group(1))


def language_links(html: str) -> dict[str, str]:
    """{language code: the link's attributes} of the language switch."""
    return {
        m.group("lang"): m.group(0)
        for m in re.finditer(r'<a class="language__link" lang="(?P<lang>\w+)"[^>]*>', html)
    }


def test_map_page_is_about_the_municipality_in_the_address(client):
    page = client.get("/", params={"municipality": "cankaya"})
    assert page.status_code == 200
    chosen = page_config(page.text)["municipality"]
    assert chosen["code"] == "cankaya" and chosen["parent"] == "ankara"
    assert len(chosen["bbox"]) == 4
    assert page_config(client.get("/").text)["municipality"] is None  # the whole deployment
    assert page_config(client.get("/?municipality=").text)["municipality"] is None
    # Nothing remembers it: no cookie is set for it.
    assert "municipality" not in page.headers.get("set-cookie", "")
    assert "cankaya" not in page.headers.get("set-cookie", "")


def test_path_form_leads_to_the_same_page(client):
    response = client.get("/m/cankaya", follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == "/?municipality=cankaya"
    response = client.get("/m/yenimahalle?lang=en", follow_redirects=False)
    assert response.headers["location"] == "/?municipality=yenimahalle&lang=en"
    page = client.get("/m/yenimahalle", follow_redirects=True)
    assert page.status_code == 200
    assert page_config(page.text)["municipality"]["code"] == "yenimahalle"


@pytest.mark.parametrize(
    "url",
    [
        "/?municipality=atlantis",
        "/m/atlantis",
        "/?municipality=" + "x" * 300,
        "/m/" + "x" * 300,
        "/?municipality=can%00kaya",
        "/?municipality=%C3%87ankaya",
    ],
)
def test_unknown_municipality_is_a_404_page_in_turkish(client, url):
    page = client.get(url, follow_redirects=False)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="tr" dir="ltr">' in page.text
    assert "Bu belediye bu haritada yok" in page.text
    # The way on: the municipalities served here, and the whole map.
    assert 'href="/?municipality=cankaya"' in page.text
    assert 'href="/?municipality=yenimahalle"' in page.text
    assert "Çankaya" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_unknown_municipality_page_names_the_code_and_speaks_english_too(client):
    page = client.get("/?municipality=atlantis&lang=en")
    assert page.status_code == 404
    assert '<html lang="en" dir="ltr">' in page.text
    assert "This municipality is not on this map" in page.text
    assert "atlantis" in page.text
    hostile = client.get("/", params={"municipality": "<script>alert(1)</script>"})
    assert hostile.status_code == 404
    assert "<script>alert(1)" not in hostile.text and "&lt;script&gt;alert(1)" in hostile.text


def test_language_switch_keeps_the_municipality_and_hides_what_it_does_not_offer(client, db):
    links = language_links(client.get("/?municipality=cankaya").text)
    assert 'href="?municipality=cankaya&amp;lang=en"' in links["en"]
    assert "hidden" not in links["en"]
    db.execute(
        update(Municipality).where(Municipality.code == "yenimahalle").values(languages=["tr"])
    )
    db.flush()
    page = client.get("/?municipality=yenimahalle")
    assert page_config(page.text)["municipality"]["languages"] == ["tr"]
    assert "hidden" in language_links(page.text)["en"]
    assert "hidden" not in language_links(client.get("/?municipality=cankaya").text)["en"]
    assert "hidden" not in language_links(client.get("/").text)["en"]
