"""The list of practice themes, and the business unit adding, changing and deactivating them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rapidreview.accounts.decorators import role_required
from rapidreview.accounts.models import Role
from rapidreview.db import DomainError

from .. import selectors, services
from ..forms import ThemeForm
from .common import THEME_VIEWERS


@require_GET
@role_required(*THEME_VIEWERS)
def theme_list(request):
    return render(request, "themes/list.html", {"themes": selectors.themes_with_case_counts(
        partnership=request.partnership), "section": "list",
                                                "may_manage": request.user.has_role(Role.BUSINESS_UNIT)})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def theme_create(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_create(partnership=request.partnership, name=form.cleaned_data["name"],
                                          description=form.cleaned_data["description"], actor=request.user)
            if not form.cleaned_data["is_active"]:
                services.theme_set_active(theme=theme, is_active=False, actor=request.user)
        except DomainError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"“{theme.name}” added.")
            return redirect("themes:list")
    return render(request, "form_page.html", {"form": form, "title": "Add a theme", "caption": "Themes",
                                              "back_url": reverse("themes:list")})


@require_http_methods(["GET", "POST"])
@role_required(Role.BUSINESS_UNIT)
def theme_edit(request, theme_id):
    theme = selectors.get_theme(theme_id, partnership=request.partnership)
    form = ThemeForm(request.POST or None, initial={"name": theme.name, "description": theme.description,
                                                    "is_active": theme.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_update(theme=theme, name=form.cleaned_data["name"], actor=request.user,
                                  description=form.cleaned_data["description"],
                                  is_active=form.cleaned_data["is_active"])
        except DomainError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, "Theme saved.")
            return redirect("themes:list")
    return render(request, "form_page.html", {"form": form, "title": "Change a theme", "caption": theme.name,
                                              "back_url": reverse("themes:list")})


@require_POST
@role_required(Role.BUSINESS_UNIT)
def theme_toggle(request, theme_id):
    theme = selectors.get_theme(theme_id, partnership=request.partnership)
    services.theme_set_active(theme=theme, is_active=not theme.is_active, actor=request.user)
    messages.success(request, f"“{theme.name}” {'reactivated' if not theme.is_active else 'deactivated'}.")
    return redirect("themes:list")
