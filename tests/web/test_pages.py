"""The page's views: the page itself and the bodies of its folded panels."""

from __future__ import annotations

import re


def test_key_tools_panel_is_served_as_an_html_fragment_with_the_page_headers(client):
    with client.get("/panels/keys") as response:
        html = response.get_data(as_text=True)
        headers = response.headers
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert 'id="gen-alg"' in html and 'id="jwks-button"' in html
    assert "<html" not in html and "<summary" not in html  # the body only: the page has the rest
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
    with client.get("/") as page:
        assert headers["Content-Security-Policy"] == page.headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_page_names_the_key_tools_url_and_leaves_their_markup_out(client):
    with client.get("/") as response:
        html = response.get_data(as_text=True)
    assert re.search(r'<details class="fold" id="keys-fold" data-body-url="/panels/keys">', html)
    assert 'id="gen-alg"' not in html


def test_the_panel_markup_the_page_parses_holds_no_request_data(client):
    # fold.js parses this markup as HTML: nothing of the request may reach it.
    first = client.get("/panels/keys?token=eyJhbGciOiJub25lIn0.e30.&x=%3Cscript%3E")
    second = client.get("/panels/keys")
    assert first.status_code == 200
    assert first.get_data() == second.get_data()
    assert b"<script" not in first.get_data()
