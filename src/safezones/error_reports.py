"""What an error report may say about the request that failed: its method
and path, and nothing else. Django's report (the error mail to ADMINS, the
debug page) would otherwise list the client's address, its user agent, the
cookies, the names of uploaded files, the query string and every local
variable, any of which can carry what a family sent."""

from collections.abc import ItemsView
from typing import Any

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# The only request headers and server values a report keeps.
KEPT_META = ("REQUEST_METHOD", "PATH_INFO", "CONTENT_TYPE", "CONTENT_LENGTH", "SERVER_NAME", "SERVER_PORT")


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        return True

    def get_safe_request_meta(self, request: HttpRequest | None) -> dict[str, Any]:
        meta = getattr(request, "META", {})
        return {key: meta[key] for key in KEPT_META if key in meta}

    def get_safe_cookies(self, request: HttpRequest | None) -> dict[str, Any]:
        return dict.fromkeys(getattr(request, "COOKIES", {}), self.cleansed_substitute)

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> ItemsView[str, Any]:
        return dict.fromkeys(tb_frame.f_locals, self.cleansed_substitute).items()


class PrivateExceptionReporter(ExceptionReporter):
    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if self.request is not None:
            hidden = PrivateExceptionReporterFilter.cleansed_substitute
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
            data["request_insecure_uri"] = self.request.path  # without the query string
        return data
