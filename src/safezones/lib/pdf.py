"""HTML to PDF on the server with WeasyPrint. Nothing is fetched: every URL a
page names (another origin or our own) is refused, so a PDF holds only what
the HTML carries inline."""

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class _NoFetching(URLFetcher):
    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        raise ValueError(f"PDF rendering fetches nothing: {url[:60]}")


def html_to_pdf(html: str) -> bytes:
    pdf = HTML(string=html, url_fetcher=_NoFetching()).write_pdf()
    assert pdf is not None
    return bytes(pdf)
