"""The site's routes with the document check mounted, for its tests while
safezones/api.py does not mount it yet: a second API with the same sign-in
and error answers, tried before the site's own routes."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from safezones import api as site_api
from safezones.accounts.api import StaffSession
from safezones.campus.api import router
from safezones.urls import urlpatterns as site_patterns

documents_api = NinjaAPI(urls_namespace="documents-tests", auth=StaffSession(), docs_url=None)
documents_api.add_router("/documents", router, tags=["campus"])
documents_api.add_exception_handler(Http404, site_api.not_found)  # type: ignore[arg-type]
documents_api.add_exception_handler(PermissionDenied, site_api.forbidden)  # type: ignore[arg-type]
documents_api.add_exception_handler(AuthenticationError, site_api.unauthorized)  # type: ignore[arg-type]
documents_api.add_exception_handler(ValidationError, site_api.invalid)  # type: ignore[arg-type]

urlpatterns = [path("api/v1/", documents_api.urls), *site_patterns]
