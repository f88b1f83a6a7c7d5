"""Security headers on every response, and templates that the CSP does not break (no inline scripts,
no event-handler attributes, no <style> elements outside the PDF templates)."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.mark.parametrize("path", ["/login", "/healthz", "/static/css/app.css", "/nowhere"])
def test_security_headers_on_every_response(client, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"            # no inline scripts, no eval
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert directives["style-src-elem"] == "'self'"        # <style>/<link>: our files only
    assert directives["style-src"] == "'self' 'unsafe-inline'"  # style="width: 40%" attributes only
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in resp.headers  # only when cookies are Secure (HTTPS)
    assert len(resp.headers["X-Request-ID"]) == 32


def _page_templates():
    return [p for p in TEMPLATES.rglob("*.html") if "pdf" not in p.relative_to(TEMPLATES).parts]


def test_no_inline_script_or_handler_in_any_page_template():
    offenders = []
    for path in _page_templates():
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script\b[^>]*>", text, re.I):
            if "src=" not in m.group(0):
                offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text, re.I):
            offenders.append(f"{path.name}: on*= handler attribute")
        if re.search(r"javascript:", text, re.I):
            offenders.append(f"{path.name}: javascript: URL")
        if re.search(r"<style\b", text, re.I):
            offenders.append(f"{path.name}: <style> element (blocked by style-src-elem 'self')")
    assert offenders == []
