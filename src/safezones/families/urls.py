from django.urls import path

from safezones.families import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:case_id>/", views.case_detail, name="detail"),
    path("<uuid:case_id>/message/", views.case_message, name="message"),
    path("<uuid:case_id>/status/", views.case_status, name="status"),
    path("<uuid:case_id>/assign/", views.case_assign, name="assign"),
    path("<uuid:case_id>/attachments/<slug:name>/", views.case_attachment, name="attachment"),
]
