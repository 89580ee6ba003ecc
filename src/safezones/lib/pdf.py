"""HTML to PDF on the server with WeasyPrint. Nothing is fetched: every URL a
page names (another origin or our own) is refused, so a PDF holds only what
the HTML carries inline.

WeasyPrint (with the font tools it loads) is imported on the first PDF, not
when the server starts: it is about 26 MB of a web worker's memory, and most
workers never draw a PDF.
"""

from typing import Any


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, url_fetcher=_refusing_fetcher()).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def _refusing_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NoFetching(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            raise ValueError(f"PDF rendering fetches nothing: {url[:60]}")

    return NoFetching()
