from django.urls import include, path
from django.views.i18n import set_language

from safezones import views
from safezones.api import api
from safezones.schools.urls import area_patterns

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("help/", include("safezones.families.public_urls")),
    path("accounts/", include("safezones.accounts.urls")),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/overview/", views.overview, name="overview"),
    path("staff/schools/", include("safezones.schools.urls")),
    path("staff/areas/", include(area_patterns)),
    path("staff/people/", include("safezones.accounts.manage_urls")),
    path("staff/cases/", include("safezones.families.urls")),
    path("api/v1/", api.urls),
]
