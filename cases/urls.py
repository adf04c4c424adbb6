"""Pages of cases, requests and consents (namespace ``cases``)."""

from django.urls import path

from cases.views import access, case, closing, collaboration, decisions, lists, move, preparation, requests

app_name = "cases"

urlpatterns = [
    path("", lists.case_list, name="list"),
    path("nytt/", case.case_create, name="create"),
    path("inkorg/", lists.inbox, name="inbox"),
    path("samtycken/", decisions.consent_list, name="consents"),
    path("samtycken/<int:pk>/samtyck/", decisions.consent_give, name="consent_give"),
    path("forfragan/<int:pk>/", requests.request_detail, name="request"),
    path("forfragan/<int:pk>/besvara/", decisions.request_decide, name="decide"),
    path("forfragan/<int:pk>/aterkalla/", requests.request_withdraw, name="withdraw"),
    path("<int:pk>/", case.case_detail, name="detail"),
    path("<int:pk>/malgrupp/", case.target_group, name="target_group"),
    path("<int:pk>/forberedelse/", preparation.preparation, name="preparation"),
    path("<int:pk>/underlag/", preparation.form_draft, name="form_draft"),
    path("<int:pk>/skicka/", requests.send, name="send"),
    path("<int:pk>/samarbete/", collaboration.collaboration, name="collaboration"),
    path("<int:pk>/flyttplan/", move.move_plan, name="move_plan"),
    path("<int:pk>/flyttplan/kostnad/<int:item_pk>/ta-bort/", move.cost_item_remove, name="cost_remove"),
    path("<int:pk>/efter-flytt/", closing.after_move, name="after_move"),
    path("<int:pk>/avsluta/", closing.case_close, name="close"),
    path("<int:pk>/behorighet/", access.case_access, name="access"),
]
