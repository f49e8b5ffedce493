"""Pages and forms as a browser sees them: tokens, visible text, links, PDFs."""

from __future__ import annotations

import html
import io
import re
from urllib.parse import parse_qs, urlsplit

from pypdf import PdfReader

TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """The CSRF token of a form on the page at url, as a browser would find it."""
    page = client.get(url).get_data(as_text=True)
    match = TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def submit(client, path: str, data: dict | None = None, *, page: str):
    """Fill in a form found on page and send it to path; the response."""
    return client.post(path, data={**(data or {}), "csrf_token": csrf_token(client, page)})


def page_text(response) -> str:
    """A page's visible text: tags stripped, entities decoded, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(text))


def errors(page: str) -> list[str]:
    """Messages a re-rendered form shows next to its fields."""
    return [html.unescape(e) for e in re.findall(r'<span class="error">([^<]*)</span>', page)]


def relative(url: str) -> str:
    """A full URL from the API as a path the test client can open."""
    return re.sub(r"^https?://[^/]+", "", url)


def query(url: str) -> dict[str, str]:
    """The query string of a URL as a flat dict."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, pages joined."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def fen(yuan: str) -> int:
    """"1234.50" → 123450."""
    whole, _, part = yuan.partition(".")
    return int(whole) * 100 + int((part + "00")[:2])
