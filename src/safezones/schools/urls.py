from django.urls import path

from safezones.campus.urls import school_patterns
from safezones.schools import views

app_name = "schools"
urlpatterns = [
    path("", views.school_list, name="list"),
    path("<str:code>/", views.school_detail, name="detail"),
    path("<str:code>/edit/", views.school_edit, name="edit"),
    *school_patterns,
]

area_patterns = (
    [path("<str:code>/", views.area_detail, name="detail")],
    "areas",
)
