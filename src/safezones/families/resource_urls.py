from django.urls import path

from safezones.families import resource_views

app_name = "resources"
urlpatterns = [
    path("", resource_views.directory, name="list"),
    path("new/", resource_views.resource_new, name="new"),
    path("import/", resource_views.resource_import, name="import"),
    path("<int:pk>/", resource_views.resource_edit, name="edit"),
    path("<int:pk>/verify/", resource_views.resource_verify, name="verify"),
    path("<int:pk>/remove/", resource_views.resource_remove, name="remove"),
]
