"""Every field a form has is on the page: the GOV.UK layout is built from the form's final fields (ADR 0010).

Fields added after crispy-forms built its layout used to be dropped silently: the bulletin's text, the member a vote
is recorded for, the partner a sheet is signed for, and the security code on "Confirm it's you".
"""

import datetime

import pytest
from crispy_forms.utils import render_crispy_form
from crispy_forms_gds.layout import Layout
from django import forms
from django.core.exceptions import ImproperlyConfigured

from agencychecks.selectors import issuable_agencies
from decisions.selectors import meeting_themes
from panels.selectors import register_candidates
from rapidreview.accounts.models import Partnership, Role, StatutoryPartner, User
from rapidreview.forms import GovUKFormMixin
from referrals.models import Source
from tests.factories import AgencyFactory, default_partnership, make_executive, make_user
from tests.forms_as_rendered import rendered_field_names
from tests.project_forms import dotted_name, project_form_classes
from tests.referrals.factories import RapidReviewCaseFactory
from themes.selectors import themes_to_record

pytestmark = pytest.mark.django_db

ABSTRACT = {"agencychecks.forms.completing.SectionForm"}  # a base for the section forms; no model of its own


class _Device:
    def verify_token(self, token):
        return token == "123456"


def _variants(cls) -> list[dict]:
    """Constructor arguments for each way a form can look; the first of each adds every optional field."""
    people = User.objects.all()
    agency = AgencyFactory(name="Layout Trust")
    user = make_user(Role.BUSINESS_UNIT, full_name="Layout Person")
    today = datetime.date(2026, 3, 2)
    partnership = default_partnership()
    themes = meeting_themes(RapidReviewCaseFactory(partnership=partnership))
    issuable = _issuable(agency)
    from referrals.models import Case

    return {
        "actionplan.forms.ActionForm": [{"partnership": partnership}],
        "actionplan.forms.ProgressForm": [{"statuses": ["in_progress", "completed"], "current": "in_progress"}],
        "agencychecks.forms.issue.IssueForm": [
            {"earliest": today, "latest": today + datetime.timedelta(days=8), "choices": issuable,
             "latest_before_panel": today + datetime.timedelta(days=5)},
            {"earliest": today, "latest": today + datetime.timedelta(days=8), "choices": issuable}],
        "agencychecks.forms.pack.DistributeForm": [{"needs_reason": True}, {}],
        "decisions.forms.meeting.MeetingRecordForm": [{"agencies": [agency], "themes": themes},
                                                      {"themes": themes}],
        "decisions.forms.meeting.VoteForm": [{"members": people}, {}],
        "decisions.forms.sheets.SignForm": [{"partners": [(StatutoryPartner.HEALTH, "Health"),
                                                          (StatutoryPartner.POLICE, "Police")]}, {}],
        "panels.forms.ConflictForm": [{"on_behalf": True, "members": people}, {}],
        "panels.forms.LiaisonForm": [{"cases": Case.objects.filter(pk=RapidReviewCaseFactory().pk)}],
        "panels.forms.MembershipForm": [{"people": register_candidates(partnership=partnership)},
                                        {"people": register_candidates(partnership=partnership), "person": user}],
        "panels.forms.SetUpForm": [{"choices": [{"user": user, "seat": "Designated nurse", "voting": True}]}],
        "panels.forms.ScheduleForm": [{"deadline": datetime.date(2026, 3, 20)}, {}],
        "panels.forms.SubstituteForm": [{"people": people}],
        "rapidreview.accounts.forms.ExistingPersonRoleForm": [{"partnership": partnership}],
        # With an executive to offer as a delegate (with none, there is no box to tick).
        "rapidreview.accounts.forms.LeadPartnerForm": [
            {"partnership": make_executive(StatutoryPartner.POLICE, partnership=partnership) and partnership}],
        "rapidreview.accounts.forms.GovUKPasswordChangeForm": [{"user": user}],
        "rapidreview.accounts.forms.GovUKSetPasswordForm": [{"user": user}],
        "rapidreview.accounts.forms.PersonForm": [{"partnership": partnership},
                                                  {"partnership": partnership, "instance": user}],
        "rapidreview.accounts.forms.ReauthenticateForm": [{"user": user, "devices": [_Device()]}, {"user": user}],
        "rapidreview.accounts.forms.RoleAssignmentForm": [{"partnership": partnership}],
        "rapidreview.clocks.forms.NonWorkingDayForm": [{"partnership": partnership}],
        "referrals.forms.intake.ReferrerForm": [{"source": Source.CDOP_JAR, "on_behalf": True}, {},
                                                {"source": Source.PUBLIC, "on_behalf": True}],
        "referrals.forms.not_met.AssuranceRequestForm": [{"partnership": default_partnership()}],
        "referrals.forms.not_met.CloseForm": [{"partnership": default_partnership()}],
        "referrals.forms.participation.InvitePartnershipForm": [{"partnerships": Partnership.objects.all()}],
        "referrals.forms.participation.ProposeLeadForm": [{"partnerships": Partnership.objects.all()}],
        "referrals.forms.public.PartnershipChoiceForm": [{"partnerships": [default_partnership()]}],
        "referrals.forms.threshold.ThresholdForm": [{"partnership": default_partnership()}],
        "themes.forms.CaseThemesForm": [{"themes": themes_to_record(case=RapidReviewCaseFactory())}],
        "themes.forms.LearningForm": [{"kind": "bulletin"}, {"kind": "workshop"},
                                      {"kind": "local_review", "partnership": partnership}],
        "themes.forms.LearningRouteForm": [{"partnership": partnership}],
    }.get(dotted_name(cls), [{}])


def _issuable(agency) -> list:
    """The agencies a case's forms may go to, as the issue page offers them: ``agency`` is in the partnership's
    arrangements."""
    case = RapidReviewCaseFactory()
    case.partnership.agencies.add(agency)
    return issuable_agencies(case)


def _expected(form) -> set[str]:
    """The names a browser would send for each visible field: a day/month/year field sends name_0, name_1, name_2."""
    names = set()
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        bound = form[name]
        subwidgets = getattr(field.widget, "widgets", None)
        names |= {f"{bound.html_name}_{i}" for i in range(len(subwidgets))} if subwidgets else {bound.html_name}
    return names


MIXIN_FORMS = [cls for cls in project_form_classes()
               if issubclass(cls, GovUKFormMixin) and dotted_name(cls) not in ABSTRACT]


@pytest.mark.parametrize("cls", MIXIN_FORMS, ids=dotted_name)
def test_every_visible_field_of_every_govuk_form_is_rendered(cls):
    for kwargs in _variants(cls):
        form = cls(**kwargs)
        missing = _expected(form) - rendered_field_names(render_crispy_form(form))
        assert not missing, f"{dotted_name(cls)}({', '.join(kwargs)}) does not render {sorted(missing)}"


def test_the_bulletin_form_shows_its_text_box_and_the_vote_its_member():
    bulletin = render_crispy_form(_build("themes.forms.LearningForm", kind="bulletin"))
    assert 'name="body"' in bulletin
    vote = render_crispy_form(_build("decisions.forms.meeting.VoteForm", members=User.objects.all()))
    assert vote.index('name="member"') < vote.index('name="choice"'), "the member is chosen before the vote"


def _build(name, **kwargs):
    return next(cls for cls in MIXIN_FORMS if dotted_name(cls) == name)(**kwargs)


class LateField(GovUKFormMixin, forms.Form):
    first = forms.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late"] = forms.CharField()
        self.fields["secret"] = forms.CharField(widget=forms.HiddenInput, initial="kept")
        self.order_fields(["late", "first"])


class LayoutLeavesOut(GovUKFormMixin, forms.Form):
    first = forms.CharField()
    second = forms.CharField()

    def build_layout(self):
        self.helper.layout = Layout("first")


def test_a_field_added_after_the_helper_exists_is_rendered_in_the_final_order():
    html = render_crispy_form(LateField())
    assert html.index('name="late"') < html.index('name="first"')
    assert 'name="secret"' in html and 'value="kept"' in html


def test_a_layout_that_leaves_out_a_visible_field_fails_loudly_instead_of_hiding_it():
    with pytest.raises(ImproperlyConfigured, match="leaves out second"):
        render_crispy_form(LayoutLeavesOut())


def test_the_form_finder_sees_the_forms_of_every_app():
    apps = {dotted_name(cls).split(".")[0] for cls in project_form_classes()}
    assert apps == {"rapidreview", "referrals", "panels", "agencychecks", "decisions", "actionplan", "themes"}
