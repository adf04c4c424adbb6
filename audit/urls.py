from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.case_log, name="case_log"),
]
