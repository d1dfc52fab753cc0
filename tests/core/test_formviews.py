"""The shared shape of form views: a valid POST saves and redirects with a message, a refusal shows in the error
summary, anything else renders the page."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.shortcuts import render
from django.urls import include, path

from rapidreview.db import DomainError
from rapidreview.forms import GovUKFormMixin
from rapidreview.formviews import handle_action, handle_form

saved: list[str] = []


class NameForm(GovUKFormMixin, forms.Form):
    name = forms.CharField(error_messages={"required": "Enter a name"})


def _save(data):
    if data["name"] == "Taken":
        raise DomainError("That name is already on the register.")
    saved.append(data["name"])
    return data["name"].upper()


def name_view(request):
    form = NameForm(request.POST or None)
    if done := handle_form(request, form, save=_save, success="Name saved.", next_url="/names/done/"):
        return done
    return render(request, "form_page.html", {"form": form, "title": "Add a name"})


def name_view_computed(request):
    form = NameForm(request.POST or None)
    if done := handle_form(request, form, save=_save, success=lambda result: f"{result} saved.",
                           next_url=lambda result: f"/names/{result}/"):
        return done
    return render(request, "form_page.html", {"form": form, "title": "Add a name"})


def name_action(request, name):
    return handle_action(request, lambda: _save({"name": name}), success=lambda result: f"{result} added.",
                         next_url="/names/done/", refused_url="/names/")


urlpatterns = [
    path("names/", name_view),
    path("names/computed/", name_view_computed),
    path("names/<str:name>/add/", name_action),
    path("", include("rapidreview.urls")),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _empty_register():
    saved.clear()
    yield
    saved.clear()


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_a_valid_post_saves_and_redirects_with_the_success_message(bu_client):
    response = bu_client.post("/names/", {"name": "Ada"})
    assert response.status_code == 302 and response["Location"] == "/names/done/"
    assert saved == ["Ada"]
    assert _messages(response) == [("success", "Name saved.")]


def test_the_message_and_the_redirect_can_be_worked_out_from_what_was_saved(bu_client):
    response = bu_client.post("/names/computed/", {"name": "Ada"})
    assert response["Location"] == "/names/ADA/"
    assert _messages(response) == [("success", "ADA saved.")]


def test_an_invalid_form_renders_the_page_with_its_errors_and_saves_nothing(bu_client):
    response = bu_client.post("/names/", {"name": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Enter a name" in page
    assert saved == [] and _messages(response) == []


def test_a_refusal_shows_in_the_error_summary_and_nothing_redirects(bu_client):
    response = bu_client.post("/names/", {"name": "Taken"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == ["That name is already on the register."]
    page = response.content.decode()
    assert "govuk-error-summary" in page and "That name is already on the register." in page
    assert "Taken" in page  # what was typed is kept
    assert saved == [] and _messages(response) == []


def test_a_get_renders_the_empty_form_and_saves_nothing(bu_client):
    response = bu_client.get("/names/")
    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert "govuk-error-summary" not in response.content.decode()
    assert saved == []


def test_an_invalid_formset_stops_the_save(rf):
    request = rf.post("/names/", {"name": "Ada"})
    formset = forms.formset_factory(NameForm, min_num=1, validate_min=True)(
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": ""})
    form = NameForm(request.POST)
    assert handle_form(request, form, formsets=[formset], save=_save, success="Saved.", next_url="/") is None
    assert saved == []


def test_an_action_runs_and_redirects_with_the_success_message(bu_client):
    response = bu_client.post("/names/Ada/add/")
    assert response.status_code == 302 and response["Location"] == "/names/done/"
    assert saved == ["Ada"] and _messages(response) == [("success", "ADA added.")]


def test_a_refused_action_redirects_to_the_refused_page_with_the_reason(bu_client):
    response = bu_client.post("/names/Taken/add/")
    assert response.status_code == 302 and response["Location"] == "/names/"
    assert saved == [] and _messages(response) == [("error", "That name is already on the register.")]
