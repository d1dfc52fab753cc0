"""The helper that submits forms as pages render them: it keeps what the page gave, posts what a browser would, and
refuses a field or a choice the page does not show."""

import datetime

import pytest
from django import forms
from django.shortcuts import render
from django.urls import include, path

from rapidreview.forms import DateInputField, GovUKFormMixin
from tests.forms_as_rendered import FormError, page_form, parse_forms, submits

received: list[dict] = []


class EverythingForm(GovUKFormMixin, forms.Form):
    name = forms.CharField(initial="Ada")
    notes = forms.CharField(widget=forms.Textarea, initial="Already written", required=False)
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue"), ("green", "Green")], initial="blue")
    size = forms.ChoiceField(choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect, initial="l")
    extras = forms.MultipleChoiceField(choices=[("a", "Apples"), ("b", "Bananas")], initial=["b"],
                                       widget=forms.CheckboxSelectMultiple, required=False)
    agree = forms.BooleanField(required=False, initial=True)
    when = DateInputField(label="When", required=False, require_all_fields=False)
    token = forms.CharField(widget=forms.HiddenInput, initial="keep-me")


def everything(request):
    form = EverythingForm(request.POST or None)
    if request.method == "POST":
        received.append({**request.POST.dict(), "extras": request.POST.getlist("extras"), "valid": form.is_valid()})
    return render(request, "form_page.html", {"form": form, "title": "Everything"})


urlpatterns = [path("everything/", everything), path("", include("rapidreview.urls"))]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _clear():
    received.clear()


def test_a_field_the_page_does_not_show_fails_the_test(bu_client):
    form = page_form(bu_client, "/everything/")
    with pytest.raises(FormError, match="shows no field named 'member'"):
        form.fill(member="1")


def test_a_choice_the_page_does_not_offer_fails_the_test(bu_client):
    form = page_form(bu_client, "/everything/")
    with pytest.raises(FormError, match="offers no option 'purple'"):
        form.fill(colour="purple")
    with pytest.raises(FormError, match="offers no option 'm'"):
        form.fill(size="m")


def test_a_hidden_field_cannot_be_changed_by_the_test(bu_client):
    with pytest.raises(FormError, match="hidden field"):
        page_form(bu_client, "/everything/").fill(token="forged")


def test_defaults_the_page_rendered_are_posted_unchanged(bu_client):
    page_form(bu_client, "/everything/").submit()
    [posted] = received
    assert posted["name"] == "Ada" and posted["notes"] == "Already written"
    assert posted["colour"] == "blue" and posted["size"] == "l" and posted["extras"] == ["b"]
    assert posted["agree"] == "on" and posted["token"] == "keep-me"
    assert posted["csrfmiddlewaretoken"], "the page's CSRF token is posted"
    assert posted["valid"]


def test_filled_values_replace_the_defaults_and_choices_match_by_label_too(bu_client):
    form = page_form(bu_client, "/everything/")
    form.fill(name="Grace", colour="Green", size="s", extras=["a"], agree=False, when=datetime.date(2026, 3, 27))
    form.submit()
    [posted] = received
    assert posted["name"] == "Grace" and posted["colour"] == "green" and posted["size"] == "s"
    assert posted["extras"] == ["a"] and "agree" not in posted
    assert (posted["when_0"], posted["when_1"], posted["when_2"]) == ("27", "3", "2026")
    assert posted["valid"]


def test_the_parser_sees_disabled_and_outside_controls_as_a_browser_does():
    [form] = parse_forms('<input name="outside"><form method="post" action="/x/"><input name="a" value="1">'
                         '<input name="b" disabled><select name="s"><option value="1">One</option>'
                         '<option value="2" selected>Two</option></select><button name="go" value="yes">Go</button>'
                         '</form>')
    assert list(form.controls) == ["a", "s"] and form.controls["s"].value == ["2"]
    assert form.method == "post" and form.action == "/x/" and form.buttons[0].label == "Go"


def test_a_test_marked_as_submitting_a_form_fails_if_the_form_was_never_valid(bu_client):
    @submits(EverythingForm)
    def never_valid(client):
        page_form(client, "/everything/").fill(colour="red", name="").submit()

    with pytest.raises(AssertionError, match="No valid submission through the page of: EverythingForm"):
        never_valid(bu_client)

    @submits(EverythingForm)
    def valid(client):
        page_form(client, "/everything/").submit()

    valid(bu_client)
