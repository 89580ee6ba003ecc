from django.urls import include, path
from django.views.i18n import set_language

from safezones import views
from safezones.api import api
from safezones.campus import office_views
from safezones.campus import views as campus_views
from safezones.campus.urls import notice_patterns, protocol_patterns, records_patterns
from safezones.readiness import public_views as readiness_public
from safezones.schools.urls import area_patterns

# A lost database answers 503 "not saved, try again" even outside a view.
handler500 = "safezones.middleware.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("help/", include("safezones.families.public_urls")),
    path("schools/<str:code>/", readiness_public.school_page, name="school-public"),
    path("alerts/<str:token>/", campus_views.acknowledge_link, name="alert-acknowledge"),
    path("accounts/", include("safezones.accounts.urls")),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/overview/", views.overview, name="overview"),
    path("staff/schools/", include("safezones.schools.urls")),
    path("staff/areas/", include(area_patterns)),
    path("staff/people/", include("safezones.accounts.manage_urls")),
    path("staff/cases/", include("safezones.families.urls")),
    path("staff/resources/", include("safezones.families.resource_urls")),
    path("staff/incidents/", include("safezones.campus.urls")),
    path("staff/protocol/", include(protocol_patterns)),
    path("staff/notices/", include(notice_patterns)),
    path("staff/records/", include(records_patterns)),
    path("staff/board-report/", office_views.board_report, name="board-report"),
    path("staff/vendors/", include("safezones.vendors.urls")),
    path("staff/readiness/", include("safezones.readiness.urls")),
    path("api/v1/", api.urls),
]
