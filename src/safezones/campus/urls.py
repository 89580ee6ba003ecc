from django.urls import path

from safezones.campus import office_views, views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_home, name="home"),
    path("start/", views.start, name="start"),
    path("<uuid:incident_id>/", views.detail, name="detail"),
    path("<uuid:incident_id>/entries/", views.add_entry, name="entry"),
    path("<uuid:incident_id>/agents/", views.add_agent, name="agent"),
    path("<uuid:incident_id>/documents/", views.add_document, name="document"),
    path("<uuid:incident_id>/documents/questions/", views.add_guided_document, name="document-questions"),
    path("<uuid:incident_id>/documents/<int:document_id>/", views.document_words, name="document-words"),
    path("<uuid:incident_id>/documents/<int:document_id>/photo/", views.document_photo, name="document-photo"),
    path("<uuid:incident_id>/status/", views.change_status, name="status"),
    path("<uuid:incident_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:incident_id>/student-sought/", views.student_sought, name="student-sought"),
    path("<uuid:incident_id>/notices/", views.request_notice, name="notice"),
    path("<uuid:incident_id>/pdf/", office_views.incident_pdf, name="pdf"),
]

protocol_patterns = (
    [
        path("", office_views.protocol_current, name="current"),
        path("edit/", office_views.protocol_edit, name="edit"),
        path("v<int:number>/", office_views.protocol_current, name="version"),
        path("v<int:number>/protocol.yaml", office_views.protocol_export, name="export"),
    ],
    "protocol",
)

notice_patterns = (
    [
        path("", office_views.notice_list, name="list"),
        path("<int:notice_id>/", office_views.notice_decide, name="decide"),
        path("published.csv", office_views.notice_export, name="export"),
    ],
    "notices",
)

records_patterns = (
    [
        path("", office_views.records_list, name="list"),
        path("<uuid:request_id>/", office_views.records_detail, name="detail"),
        path("<uuid:request_id>/condition/", office_views.records_condition, name="condition"),
        path("<uuid:request_id>/decision/", office_views.records_decide, name="decide"),
    ],
    "records",
)

# Added to schools.urls under /staff/schools/<code>/.
school_patterns = [
    path("<str:code>/call-down/", office_views.call_down, name="call-down"),
    path("<str:code>/call-down/verify/", office_views.call_down_verify, name="call-down-verify"),
    path("<str:code>/call-down/<int:contact_id>/remove/", office_views.call_down_remove, name="call-down-remove"),
]
