"""Every model of the installation is either exported with its partnership or excluded for a stated reason, found
from the apps registry: a new model linked to a case or a partnership is exported without anyone listing it."""

from django.apps import apps

from rapidreview.partnership_export.scope import EXCLUDED, SHARED, export_plan, is_history, label_of


def test_every_model_is_exported_shared_or_excluded_with_a_reason():
    plan = export_plan()
    unclassified = [label_of(m) for m in apps.get_models() if plan.classify(m)[0] == "unclassified"]
    assert unclassified == [], (
        "These models are neither exported (no required link to a partnership or a case) nor listed in "
        "rapidreview/partnership_export/scope.py EXCLUDED with a reason: " + ", ".join(unclassified))


def test_the_excluded_list_names_only_models_that_exist_and_gives_each_a_reason():
    labels = {label_of(m) for m in apps.get_models()}
    assert set(EXCLUDED) <= labels and set(SHARED) <= labels
    assert all(len(reason) > 20 for reason in [*EXCLUDED.values(), *SHARED.values()])


def test_the_records_of_every_stage_are_found_without_being_named():
    plan = export_plan()
    found = {label.split(".")[0] for label in plan.owned}
    assert {"referrals", "panels", "agencychecks", "decisions", "actionplan", "themes", "clocks", "audit",
            "accounts"} <= found
    assert plan.owned["decisions.signature"].rule == "sheet -> decisions.decisionsheet"
    assert plan.owned["referrals.caseparticipation"].rule == "case -> referrals.case"  # the case it leads
    assert plan.owned["audit.legalhold"].rule == "case_id of a case it leads"


def test_every_exported_model_has_its_history_table_exported_too():
    plan = export_plan()
    for model in apps.get_models():
        if is_history(model) and label_of(model.instance_type) in plan.owned:
            assert label_of(model) in plan.history, label_of(model)


def test_secrets_and_the_outbox_never_leave():
    plan = export_plan()
    for label in ("otp_totp.totpdevice", "otp_static.statictoken", "sessions.session", "axes.accessattempt",
                  "notifications.notification", "partnership_export.partnershipexport"):
        assert plan.kind(label) == "excluded", label
