"""The server-rendered pages, as a hiring team uses them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.orgs.factories import PASSWORD, builtin, make_member, make_organisation, owner_of
from vetta.catalog.models import RoleProfile
from vetta.catalog.selectors import role_profile_levels
from vetta.catalog.services import role_profile_derive, role_profile_update
from vetta.governance.models import AuditEvent
from vetta.orgs.models import MembershipRole

pytestmark = pytest.mark.django_db

SKILLS = [
    "python_ml_frameworks",
    "mlops_deployment",
    "rag_vector_databases",
    "prompt_engineering",
    "statistical_modeling",
    "finetuning_lora",
    "data_sql_pipelines",
    "evaluation",
    "ai_security",
    "governance",
]


@pytest.fixture
def owner():
    builtin("classical_ml")
    return owner_of(make_organisation("Acme"))


@pytest.fixture
def browser(owner) -> Client:
    client = Client()
    client.force_login(owner.user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def edit_data(profile: RoleProfile, **changes: str) -> dict[str, str]:
    data = {"name": profile.name, "description": profile.description}
    for skill, level in role_profile_levels(profile=profile).items():
        data[f"level_{skill}"] = changes.get(skill, level.value)
        data[f"notes_{skill}"] = ""
    return data


def test_anonymous_visitors_are_sent_to_the_login_page() -> None:
    response = Client().get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_member_logs_in_and_lands_on_the_organisation_dashboard(owner) -> None:
    client = Client()
    page = client.get(reverse("login"))
    assert '<label for="id_username">Username</label>' in page.content.decode()
    response = client.post(
        reverse("login"), {"username": owner.user.username, "password": PASSWORD}, follow=True
    )
    assert "<h1>Acme</h1>" in text(response)
    assert "You are owner here." in text(response)


def test_logging_out_takes_a_post_and_ends_the_session(browser: Client) -> None:
    assert browser.get(reverse("logout")).status_code == 405
    browser.post(reverse("logout"))
    assert browser.get(reverse("dashboard")).status_code == 302


def test_the_profile_list_shows_built_ins_and_the_organisation_s_profiles(browser, owner) -> None:
    role_profile_derive(actor=owner, source=builtin("research"), name="Our researcher")
    page = text(browser.get(reverse("profile_list")))
    for name in ("Classical ML engineer", "LLM / Generative AI engineer", "Our researcher"):
        assert name in page
    assert "One role context" in page
    assert "Blends role contexts" not in page


def test_the_profile_list_flags_blended_profiles(browser, owner) -> None:
    blended = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="Blended")
    role_profile_update(actor=owner, profile=blended, levels={"prompt_engineering": "required"})
    role_profile_derive(actor=owner, source=builtin("classical_ml"), name="Clean")
    rows = re.findall(r"<tr>.*?</tr>", text(browser.get(reverse("profile_list"))))
    flagged = {
        row.split("</a>")[0].rsplit(">", 1)[-1]: "Blends role contexts" in row
        for row in rows
        if "</a>" in row
    }
    assert flagged["Blended"] is True
    assert flagged["Clean"] is False


def test_the_detail_page_shows_the_matrix_with_a_level_per_skill_area(browser) -> None:
    page = text(browser.get(reverse("profile_detail", args=[builtin("llm_genai").pk])))
    for skill in SKILLS:
        assert f'<code class="muted">{skill}</code>' in page
    assert page.count('<span class="level level-required">Required</span>') >= 9
    assert 'id="blend-ok"' in page


def test_deriving_then_editing_a_profile_into_a_blend_shows_the_warning(browser, owner) -> None:
    source = builtin("classical_ml")
    response = browser.post(reverse("profile_derive", args=[source.pk]), {"name": "ML + RAG"})
    profile = RoleProfile.objects.get(name="ML + RAG")
    assert response["Location"] == reverse("profile_edit", args=[profile.pk])
    assert profile.organisation == owner.organisation

    edit = browser.get(response["Location"])
    assert '<select name="level_rag_vector_databases"' in edit.content.decode()
    saved = browser.post(
        response["Location"], edit_data(profile, rag_vector_databases="required"), follow=True
    )
    page = text(saved)
    assert "This profile blends role contexts" in page
    assert (
        "rag_vector_databases required — only llm_genai requires it; "
        "classical_ml: not_needed, research: not_needed"
    ) in page
    assert "Split into a Classical ML role and an LLM / Generative AI role" in page
    assert AuditEvent.objects.filter(action="role_profile.update").count() == 1


def test_a_bad_level_posted_to_the_edit_form_is_shown_next_to_its_field(browser, owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("classical_ml"), name="ML")
    response = browser.post(
        reverse("profile_edit", args=[profile.pk]), edit_data(profile, evaluation="essential")
    )
    assert response.status_code == 200
    assert "Select a valid choice. essential is not one of the available choices." in text(response)
    assert role_profile_levels(profile=profile)["evaluation"] == "required"


def test_the_job_description_page_and_its_markdown_download(browser, owner) -> None:
    profile = role_profile_derive(actor=owner, source=builtin("llm_genai"), name="LLM engineer")
    role_profile_update(actor=owner, profile=profile, notes={"rag_vector_databases": "pgvector"})
    page = text(browser.get(reverse("job_description", args=[profile.pk])))
    assert "<h2>Required skills</h2>" in page
    assert "<h2>Preferred skills</h2>" in page
    assert "<code>security_scenario</code>" in page
    assert "pgvector" in page
    download = browser.get(reverse("job_description_download", args=[profile.pk]))
    assert download["Content-Type"] == "text/markdown; charset=utf-8"
    assert download["Content-Disposition"] == (
        'attachment; filename="llm-engineer-job-description.md"'
    )
    assert download.content.decode().startswith("# LLM engineer\n")


def test_another_organisation_s_profile_answers_404_on_every_page(browser) -> None:
    globex = owner_of(make_organisation("Globex"))
    secret = role_profile_derive(actor=globex, source=builtin("research"), name="Secret")
    for name in (
        "profile_detail",
        "profile_edit",
        "profile_derive",
        "job_description",
        "job_description_download",
    ):
        response = browser.get(reverse(name, args=[secret.pk]))
        assert response.status_code == 404, name
        assert "Secret" not in response.content.decode()
    response = browser.post(reverse("profile_edit", args=[secret.pk]), edit_data(secret))
    assert response.status_code == 404


def test_switching_to_an_organisation_one_is_not_a_member_of_answers_404(browser) -> None:
    globex = make_organisation("Globex")
    response = browser.post(reverse("organisation_switch"), {"organisation": globex.pk})
    assert response.status_code == 404


def test_a_member_of_two_organisations_can_switch_between_them(browser, owner) -> None:
    globex = make_organisation("Globex")
    make_member(globex, MembershipRole.INTERVIEWER, user=owner.user)
    browser.post(reverse("organisation_switch"), {"organisation": globex.pk})
    page = text(browser.get(reverse("dashboard")))
    assert "<h1>Globex</h1>" in page
    assert "You are interviewer here." in page


def test_interviewers_can_read_profiles_but_not_derive_or_edit_them(owner) -> None:
    interviewer = make_member(owner.organisation, MembershipRole.INTERVIEWER)
    profile = role_profile_derive(actor=owner, source=builtin("research"), name="R")
    client = Client()
    client.force_login(interviewer.user)
    assert client.get(reverse("profile_detail", args=[profile.pk])).status_code == 200
    assert "Edit levels" not in text(client.get(reverse("profile_detail", args=[profile.pk])))
    assert client.get(reverse("profile_derive", args=[profile.pk])).status_code == 403
    response = client.post(reverse("profile_edit", args=[profile.pk]), edit_data(profile))
    assert response.status_code == 403


def test_built_in_profiles_cannot_be_edited_through_the_web(browser) -> None:
    response = browser.get(reverse("profile_edit", args=[builtin("research").pk]))
    assert response.status_code == 403
    assert "derive your own" in text(response)


@pytest.mark.parametrize(
    ("url_name", "needs_profile"),
    [("login", False), ("password_reset", False), ("profile_derive", True), ("logout", False)],
)
def test_posts_without_a_csrf_token_are_refused(owner, url_name: str, needs_profile: bool) -> None:
    client = Client(enforce_csrf_checks=True)
    if url_name != "login" and url_name != "password_reset":
        client.force_login(owner.user)
    args = [builtin("research").pk] if needs_profile else []
    response = client.post(
        reverse(url_name, args=args),
        {"username": owner.user.username, "password": PASSWORD, "name": "X", "email": "a@b.c"},
    )
    assert response.status_code == 403
    assert "This form has expired" in text(response)
    assert not RoleProfile.objects.filter(name="X").exists()


def test_a_post_with_the_page_s_csrf_token_is_accepted(owner) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = client.post(
        reverse("login"),
        {
            "username": owner.user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1),
        },
    )
    assert response.status_code == 302


def test_operators_can_open_the_admin_pages(owner) -> None:
    operator = owner.user
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client()
    client.force_login(operator)
    for name in (
        "admin:orgs_organisation_changelist",
        "admin:orgs_membership_changelist",
        "admin:catalog_roleprofile_changelist",
        "admin:governance_auditevent_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    event = AuditEvent.objects.first()
    assert event is not None
    page = client.get(reverse("admin:governance_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_a_role_changed_in_the_admin_is_audited_as_the_operator(owner) -> None:
    operator = owner.user
    operator.is_staff = operator.is_superuser = True
    operator.save()
    member = make_member(owner.organisation, MembershipRole.INTERVIEWER)
    client = Client()
    client.force_login(operator)
    response = client.post(
        reverse("admin:orgs_membership_change", args=[member.pk]), {"role": "hiring_manager"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == "hiring_manager"
    event = AuditEvent.objects.get(action="membership.role_change")
    assert event.actor == f"operator:{operator.pk}"


def test_the_pages_share_an_accessible_layout(browser) -> None:
    page = browser.get(reverse("dashboard")).content.decode()
    assert '<html lang="en">' in page
    assert '<a class="skip-link" href="#main">' in page
    assert '<nav aria-label="Main">' in page
    assert 'aria-current="page">Dashboard</a>' in page
    assert '<main id="main"' in page
    css = browser.get("/static/vetta/vetta.css")
    assert css.status_code == 200
    assert b":focus-visible" in b"".join(css.streaming_content)
