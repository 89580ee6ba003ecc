from django.urls import path

from safezones.families import public_views

app_name = "help"
urlpatterns = [
    path("", public_views.help_home, name="home"),
    path("privacy/", public_views.privacy, name="privacy"),
    path("letter/", public_views.letter, name="letter"),
    path("resources/", public_views.resources, name="resources"),
    path("resources/workshops.ics", public_views.workshops_ics, name="workshops-ics"),
    path("request/", public_views.request_help, name="request"),
    path("report/", public_views.report_problem, name="report"),
    path("follow-up/", public_views.follow_up, name="follow-up"),
    path("follow-up/message/", public_views.family_message, name="message"),
]
