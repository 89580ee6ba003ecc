from django.urls import path

from safezones.readiness import views

app_name = "readiness"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export"),
    path("report/", views.annual_report, name="report"),
    path("training/", views.training, name="training"),
    path("checklist/", views.checklist, name="checklist"),
    path("areas/<str:code>/", views.area_dashboard, name="area"),
    path("schools/<str:code>/", views.school_page, name="school"),
    path("schools/<str:code>/attest/", views.school_attest, name="attest"),
    path("schools/<str:code>/verify/", views.school_verify, name="verify"),
    path("schools/<str:code>/partners/", views.school_partners, name="partners"),
    path("schools/<str:code>/file/", views.evidence_file, name="file"),
]
