"""Cross-site request forgery protection that works with `Referrer-Policy: no-referrer`.

With that policy, browsers send our own form posts with `Origin: null` and no
Referer, which Django's middleware would refuse. For such a request we rely on:

- Fetch metadata: a browser that says the request came from another site
  (`Sec-Fetch-Site` other than same-origin) is refused outright;
- the CSRF token, as always;
- `__Host-` cookies over HTTPS with HSTS: no subdomain or plain-HTTP attacker
  can plant a CSRF cookie, which is what Django's strict Referer check guards
  against.
A real Origin header is still checked exactly as Django does.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
HIDDEN_ORIGIN = "_csrf_origin_hidden_by_policy"


class NoReferrerCsrfViewMiddleware(CsrfViewMiddleware):
    def process_view(
        self,
        request: HttpRequest,
        callback: Callable[..., HttpResponseBase],
        callback_args: tuple[Any, ...],
        callback_kwargs: dict[str, Any],
    ) -> HttpResponseForbidden | None:
        origin = request.META.get("HTTP_ORIGIN")
        if request.method not in SAFE_METHODS and origin in (None, "null"):
            site = request.META.get("HTTP_SEC_FETCH_SITE")
            if site is not None and site != "same-origin":
                refusal: HttpResponseForbidden = self._reject(  # type: ignore[attr-defined]
                    request, f"Fetch metadata says the request came from {site}."
                )
                return refusal
            request.META.pop("HTTP_ORIGIN", None)
            setattr(request, HIDDEN_ORIGIN, True)
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def _check_referer(self, request: HttpRequest) -> None:
        if getattr(request, HIDDEN_ORIGIN, False):
            return
        super()._check_referer(request)  # type: ignore[misc]


def csrf_refusal(request: HttpRequest) -> HttpResponseForbidden | None:
    """Run the same check outside the middleware chain (for the JSON API)."""
    middleware = NoReferrerCsrfViewMiddleware(lambda r: HttpResponseForbidden())
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    middleware.process_request(request)
    return middleware.process_view(request, _no_view, (), {})


def _no_view(request: HttpRequest) -> HttpResponseBase:
    raise AssertionError("only used to run the CSRF check")
