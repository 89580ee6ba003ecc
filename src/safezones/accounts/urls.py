from django.urls import path

from safezones.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("verify/", views.verify, name="verify"),
    path("enroll/", views.enroll, name="enroll"),
    path("password/", views.password, name="password"),
    path("confirm/", views.confirm, name="confirm"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
