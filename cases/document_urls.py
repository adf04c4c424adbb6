"""PDF downloads (included under /dokument/)."""

from django.urls import path

from cases import document_views

app_name = "documents"

urlpatterns = [
    path("forfragan/<int:pk>/underlag.pdf", document_views.request_form_pdf, name="request_form"),
    path("forfragan/<int:pk>/beslut.pdf", document_views.decision_letter_pdf, name="decision_letter"),
    path("arende/<int:pk>/flyttplan.pdf", document_views.move_plan_pdf, name="move_plan"),
]
