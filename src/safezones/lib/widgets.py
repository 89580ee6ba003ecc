"""A select box that renders long lists quickly.

Django renders each option through a template, which takes about half a
second for a district's two thousand schools; families on a crowded day need
the page at once. Same markup, built directly (every value escaped).
"""

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe


class QuickSelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        attributes = format_html_join("", ' {}="{}"', ((key, val) for key, val in final.items() if val is not True))
        flags = "".join(f" {escape(key)}" for key, val in final.items() if val is True)
        body = "".join(self._group(label, options, chosen) for label, options in self._groups())
        return mark_safe(f"<select{attributes}{flags}>{body}</select>")  # noqa: S308 - escaped above

    def _groups(self) -> list[tuple[str | None, list[tuple[Any, Any]]]]:
        groups: list[tuple[str | None, list[tuple[Any, Any]]]] = []
        for value, label in self.choices:
            if isinstance(label, list | tuple):
                groups.append((str(value), list(label)))
            else:
                groups.append((None, [(value, label)]))
        return groups

    def _group(self, label: str | None, options: list[tuple[Any, Any]], chosen: str) -> str:
        html = "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(text)}</option>'
            for value, text in options
        )
        return f'<optgroup label="{escape(label)}">{html}</optgroup>' if label is not None else html
