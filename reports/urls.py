from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("lusam-redovisningar/", views.records, name="records"),
    path("export/<slug:key>.<str:fmt>", views.export_table, name="export"),
    path("sammanfattning.pdf", views.export_pdf, name="pdf"),
    path("lusam-moten/", views.meetings, name="meetings"),
]
