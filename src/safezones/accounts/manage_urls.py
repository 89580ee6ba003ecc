from django.urls import path

from safezones.accounts import manage_views

app_name = "people"
urlpatterns = [
    path("", manage_views.people, name="list"),
    path("new/", manage_views.person_new, name="new"),
    path("<int:pk>/", manage_views.person_detail, name="detail"),
    path("<int:pk>/active/", manage_views.person_active, name="active"),
    path("<int:pk>/roles/<int:membership_pk>/revoke/", manage_views.role_revoke, name="revoke"),
]
