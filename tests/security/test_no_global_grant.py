"""One model-level grant must never open every case: guardian's global and superuser shortcuts are off."""

from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.selectors import case_list_for_user
from tests.conftest import municipality, verified_client
from tests.factories import CaseFactory, RequestFactory


def test_a_global_work_on_case_permission_opens_no_case(officer_vasteras, vastmanland):
    case = CaseFactory(sending_municipality=municipality("Köping"))
    item = RequestFactory(case=case, recipient=municipality("Sala"))
    officer_vasteras.user_permissions.add(Permission.objects.get(codename="work_on_case"))
    officer_vasteras.is_staff = True
    officer_vasteras.save()
    assert officer_vasteras.has_perm("cases.work_on_case")

    client = verified_client(officer_vasteras)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:request", args=[item.pk])).status_code == 404
    assert case not in case_list_for_user(user=officer_vasteras)


def test_a_superuser_sees_no_case(administrator, vastmanland):
    assert administrator.is_superuser
    case = CaseFactory(sending_municipality=municipality("Köping"))
    item = RequestFactory(case=case, recipient=municipality("Sala"))
    client = verified_client(administrator)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("cases:request", args=[item.pk])).status_code == 404
    assert case not in case_list_for_user(user=administrator)


def test_the_receiving_side_sees_the_frozen_form_not_the_working_notes(
    officer_koping, contact_sala, supervisor_sala_adult
):
    from cases.models import Preparation, UnitConsent
    from tests.builders import create_case

    case = create_case(officer_koping)
    Preparation.objects.filter(case=case).update(notes="ARBETSANTECKNING-SOM-STANNAR-HEMMA")
    item = RequestFactory(
        case=case, recipient=municipality("Sala"), status="consenting", form={"applicant": "FRYST-UNDERLAG"}
    )
    UnitConsent.objects.create(request=item, unit="adult")
    for user in (contact_sala, supervisor_sala_adult):
        page = verified_client(user).get(reverse("cases:request", args=[item.pk]))
        assert page.status_code == 200
        content = page.content.decode()
        assert "FRYST-UNDERLAG" in content
        assert "ARBETSANTECKNING-SOM-STANNAR-HEMMA" not in content
    own = verified_client(officer_koping).get(reverse("cases:preparation", args=[case.pk])).content.decode()
    assert "ARBETSANTECKNING-SOM-STANNAR-HEMMA" in own


def test_guardian_shortcuts_are_used_only_with_the_global_and_superuser_paths_off():
    """Lists filter the grant table in the database. Should guardian's shortcut ever be used, it must be with
    ``accept_global_perms=False`` and ``with_superuser=False``; ``has_perm`` (true for every superuser) never
    decides over a case."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("accounts", "audit", "cases", "municipalities", "notifications", "reports", "lanskompott"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                keywords = {keyword.arg: getattr(keyword.value, "value", None) for keyword in node.keywords}
                if name == "get_objects_for_user" and (
                    keywords.get("accept_global_perms") is not False or keywords.get("with_superuser") is not False
                ):
                    offenders.append(f"{path.relative_to(root)}:{node.lineno}")
                if name in {"has_perm", "get_perms", "ObjectPermissionChecker"}:
                    offenders.append(f"{path.relative_to(root)}:{node.lineno} {name}")
    assert not offenders, offenders
