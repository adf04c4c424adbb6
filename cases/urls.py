"""Pages of cases, requests and consents (namespace ``cases``)."""

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nytt/", views.case_create, name="create"),
    path("inkorg/", views.inbox, name="inbox"),
    path("samtycken/", views.consent_list, name="consents"),
    path("samtycken/<int:pk>/samtyck/", views.consent_give, name="consent_give"),
    path("forfragan/<int:pk>/", views.request_detail, name="request"),
    path("forfragan/<int:pk>/besvara/", views.request_decide, name="decide"),
    path("forfragan/<int:pk>/aterkalla/", views.request_withdraw, name="withdraw"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/malgrupp/", views.target_group, name="target_group"),
    path("<int:pk>/forberedelse/", views.preparation, name="preparation"),
    path("<int:pk>/underlag/", views.form_draft, name="form_draft"),
    path("<int:pk>/skicka/", views.send, name="send"),
    path("<int:pk>/samarbete/", views.collaboration, name="collaboration"),
    path("<int:pk>/flyttplan/", views.move_plan, name="move_plan"),
    path("<int:pk>/flyttplan/kostnad/<int:item_pk>/ta-bort/", views.cost_item_remove, name="cost_remove"),
    path("<int:pk>/efter-flytt/", views.after_move, name="after_move"),
    path("<int:pk>/avsluta/", views.case_close, name="close"),
    path("<int:pk>/behorighet/", views.case_access, name="access"),
]
