from django.urls import path

from safezones.vendors import views

app_name = "vendors"
urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_contracts, name="import"),
    path("awards/upload/", views.upload_awards, name="awards"),
    path("evidence/upload/", views.upload_evidence, name="evidence"),
    path("screen/", views.screen, name="screen"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings.ftm.jsonl", views.export_ftm, name="ftm"),
    path("<int:pk>/", views.vendor_detail, name="vendor"),
    path("report/", views.report, name="report"),
    path("report.csv", views.report_csv_view, name="report-csv"),
    path("report.pdf", views.report_pdf_view, name="report-pdf"),
]
