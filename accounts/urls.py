from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.SignInView.as_view(), name="login"),
    path("verifiera/", views.verify, name="verify"),
    path("aktivera/", views.enrol, name="enrol"),
    path("aktivera/qr.svg", views.enrol_qr, name="enrol_qr"),
    path("reservkoder/", views.backup_codes, name="backup_codes"),
    path("logga-ut/", views.sign_out, name="logout"),
]
