"""The blank family forms, rendered once per form and language.

When something happens near a school, families arrive at the request and
report forms in waves, and each of them gets the same blank form in their
language: only the retry token (and the CSRF token, outside the fields)
differs. Rendering the fields (the school list, every choice through a
widget template) costs most of such a page, so their HTML is kept in the
cache for a minute with a placeholder where the token goes, and the token is
put in per request. A change to the schools drops the kept forms at once.
"""

from django import forms
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from safezones.schools.queries import schools_version

KEEP_SECONDS = 60
# Never a real token: real ones are random URL-safe text of 32 characters.
PLACEHOLDER = "@@retry-token@@"


def blank_fields(form: forms.Form, name: str) -> SafeString:
    """The HTML of form_fields.html for the unbound FORM, named NAME in the cache."""
    if form.is_bound:
        raise ValueError("only a blank form is the same for everyone")
    token = str(form.fields["retry_token"].initial) if "retry_token" in form.fields else ""
    version = schools_version()
    key = f"blank-forms:{version}:{name}:{get_language() or 'en'}"
    html: str | None = cache.get(key)
    if html is None:
        html = render_to_string("form_fields.html", {"form": form})
        if token:
            html = html.replace(token, PLACEHOLDER)
        cache.set(key, html, KEEP_SECONDS)
    if token:
        html = html.replace(PLACEHOLDER, token)
    return mark_safe(html)  # noqa: S308 - our own template's output; the token is URL-safe text
