"""Role profiles: list, detail with the blend warning, derive, edit, job description."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from vetta.catalog.job_description import job_description_html, job_description_markdown
from vetta.catalog.selectors import (
    role_profile_blend_check,
    role_profile_blended_ids,
    role_profile_get,
    role_profile_job_description,
    role_profile_list_for_user,
    role_profile_matrix,
    skill_area_list,
)
from vetta.catalog.services import (
    RoleProfileValidationError,
    role_profile_derive,
    role_profile_update,
)
from vetta.web.forms import DeriveForm, RoleProfileForm, level_field_name, notes_field_name
from vetta.web.views.common import current_membership, require_membership


@login_required
def profile_list(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    profiles = role_profile_list_for_user(
        user=request.user, organisation_id=membership.organisation_id if membership else None
    )
    own = [p for p in profiles if not p.is_builtin]
    return render(
        request,
        "web/profile_list.html",
        {
            "membership": membership,
            "builtin_profiles": [p for p in profiles if p.is_builtin],
            "own_profiles": own,
            "blended_ids": role_profile_blended_ids(profiles=own),
        },
    )


@login_required
def profile_detail(request: HttpRequest, id: int) -> HttpResponse:
    profile = role_profile_get(user=request.user, id=id)
    membership = current_membership(request)
    return render(
        request,
        "web/profile_detail.html",
        {
            "profile": profile,
            "rows": role_profile_matrix(profile=profile),
            "blend": role_profile_blend_check(profile=profile),
            "membership": membership,
            "can_edit": (
                membership is not None
                and membership.can_edit_profiles
                and profile.organisation_id == membership.organisation_id
            ),
        },
    )


@login_required
def profile_derive(request: HttpRequest, id: int) -> HttpResponse:
    source = role_profile_get(user=request.user, id=id)
    membership = require_membership(request)
    if not membership.can_edit_profiles:
        raise PermissionDenied("only owners and hiring managers may derive role profiles")
    form = DeriveForm(
        request.POST or None,
        initial={"name": f"{source.name} ({membership.organisation.name})"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile = role_profile_derive(
                actor=membership, source=source, name=form.cleaned_data["name"]
            )
        except RoleProfileValidationError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            return redirect("profile_edit", id=profile.pk)
    return render(request, "web/profile_derive.html", {"source": source, "form": form})


@login_required
def profile_edit(request: HttpRequest, id: int) -> HttpResponse:
    profile = role_profile_get(user=request.user, id=id)
    membership = require_membership(request)
    if profile.is_builtin:
        raise PermissionDenied("built-in role profiles are read-only; derive your own first")
    areas = list(skill_area_list())
    initial: dict[str, str] = {"name": profile.name, "description": profile.description}
    for row in role_profile_matrix(profile=profile):
        initial[level_field_name(row.skill_area.key)] = row.level.value
        initial[notes_field_name(row.skill_area.key)] = row.notes
    form = RoleProfileForm(request.POST or None, initial=initial, skill_areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            role_profile_update(
                actor=membership,
                profile=profile,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levels=form.levels(),
                notes=form.notes(),
            )
        except RoleProfileValidationError as exc:
            form.add_service_errors(exc.errors)
        else:
            return redirect("profile_detail", id=profile.pk)
    return render(
        request,
        "web/profile_edit.html",
        {"profile": profile, "form": form, "blend": role_profile_blend_check(profile=profile)},
    )


@login_required
def job_description(request: HttpRequest, id: int) -> HttpResponse:
    profile = role_profile_get(user=request.user, id=id)
    jd = role_profile_job_description(profile=profile)
    return render(
        request,
        "web/job_description.html",
        {
            "profile": profile,
            "jd_html": job_description_html(jd),
            "blend": role_profile_blend_check(profile=profile),
        },
    )


@login_required
def job_description_download(request: HttpRequest, id: int) -> HttpResponse:
    profile = role_profile_get(user=request.user, id=id)
    text = job_description_markdown(role_profile_job_description(profile=profile))
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    filename = f"{slugify(profile.name) or 'role'}-job-description.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
