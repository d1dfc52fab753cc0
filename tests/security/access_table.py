"""Who may use each page: the access policy of DESIGN.md §4, page by page.

First written from what the application did (``SECURITY_MATRIX_DISCOVER``), then reviewed line by line against
DESIGN.md §4; a change in behaviour fails the matrix until someone decides it is right and edits this file.

Each entry: (who may GET, who may POST). People are named as in ``world.PERSONAS``; "signed_in" means everyone
signed in; "-" means the page does not offer that method (405 for all); "nobody" means every person is refused.
"""

from .world import PERSONAS

SIGNED_IN = " ".join(p for p in PERSONAS if p != "anon")

# Pages open without signing in.
PUBLIC = {
    "healthz", "accessibility", "privacy",
    "accounts:login", "accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "referrals:public_start", "referrals:public_referral", "referrals:public_check", "referrals:public_done",
}

# Who may see each case's child's name anywhere in the application (case A involves panel and lead; case B
# involves neither). Every other person must never receive the name in any response.
SEES_CHILD_NAME = {
    "A": {"bu", "chair", "threshold", "panel", "lead", "exec", "other_exec"},
    "B": {"bu", "chair", "threshold", "exec", "other_exec"},
}

# Pages whose object the world does not build (or that only answer in a state the world is not in): the people
# allowed may get 404 there; the people not allowed must still be refused.
NOT_BUILT = {
    "actionplan:evidence_download",
    "agencychecks:versions",
    "clocks:closure_remove",
    "decisions:cspr",
    "decisions:cspr_edit",
    "decisions:cspr_implementation_review",
    "decisions:cspr_publish",
    "decisions:cspr_report_sent",
    "decisions:cspr_workshop",
    "decisions:dispute_escalate",
    "decisions:dispute_meeting",
    "decisions:dispute_resolve",
    "decisions:milestone_edit",
    "decisions:milestone_new",
    "decisions:participation_edit",
    "decisions:process_edit",
    "decisions:process_new",
    "notifications:detail",
    "notifications:resend",
    "referrals:assurance_answer",
    "referrals:assurance_reply",
    "referrals:cdop_discussion",
    "referrals:letter_pdf",
    "audit:retention_confirm",
    "audit:retention_withdraw",
}

ACCESS: dict[str, tuple[str, str]] = {
    # shell
    "accessibility": ("anon signed_in", "-"),
    "healthz": ("anon signed_in", "-"),
    "home": ("signed_in", "-"),
    "privacy": ("anon signed_in", "-"),
    # accounts
    "accounts:account": ("signed_in", "-"),
    "accounts:agencies": ("bu", "nobody"),
    "accounts:agency_edit": ("bu", "bu"),
    "accounts:agency_new": ("bu", "bu"),
    "accounts:login": ("anon signed_in", "anon signed_in"),
    "accounts:logout": ("-", "nobody"),
    "accounts:mfa_backup_codes": ("-", "nobody"),
    "accounts:mfa_setup": ("signed_in", "signed_in"),
    "accounts:mfa_verify": ("nobody", "nobody"),
    "accounts:partnership": ("bu", "bu"),
    "accounts:password_change": ("signed_in", "signed_in"),
    "accounts:password_reset": ("anon signed_in", "anon signed_in"),
    "accounts:password_reset_complete": ("anon signed_in", "-"),
    "accounts:password_reset_confirm": ("anon signed_in", "anon signed_in"),
    "accounts:password_reset_done": ("anon signed_in", "-"),
    "accounts:people": ("bu", "nobody"),
    "accounts:person": ("bu", "nobody"),
    "accounts:person_edit": ("bu", "bu"),
    "accounts:person_new": ("bu", "bu"),
    "accounts:reauthenticate": ("signed_in", "signed_in"),
    "accounts:role_add": ("bu", "bu"),
    "accounts:role_end": ("nobody", "bu"),
    # actionplan
    "actionplan:confirm": ("-", "wg"),
    "actionplan:create": ("bu wg", "bu wg"),
    "actionplan:detail": ("bu lead wg chair exec", "-"),
    "actionplan:edit": ("bu wg", "bu wg"),
    "actionplan:evidence_add": ("lead wg", "lead wg"),
    "actionplan:evidence_download": ("bu wg lead", "bu wg lead"),
    "actionplan:export_csv": ("bu lead wg other_lead chair exec other_exec", "-"),
    "actionplan:export_xlsx": ("bu lead wg other_lead chair exec other_exec", "-"),
    "actionplan:import": ("wg", "wg"),
    "actionplan:import_preview": ("wg", "wg"),
    "actionplan:import_template": ("wg", "-"),
    "actionplan:list": ("bu lead wg other_lead chair exec other_exec", "-"),
    "actionplan:meeting": ("bu wg", "-"),
    "actionplan:meeting_create": ("wg", "wg"),
    "actionplan:meetings": ("bu wg", "-"),
    "actionplan:progress": ("lead wg", "lead wg"),
    "actionplan:send_back": ("wg", "wg"),
    # agencychecks
    "agencychecks:accept": ("nobody", "bu"),
    "agencychecks:board": ("bu chair", "nobody"),
    "agencychecks:check": ("lead", "lead"),
    "agencychecks:distribute": ("bu", "bu"),
    "agencychecks:form": ("bu chair lead", "nobody"),
    "agencychecks:glossary": ("bu chair lead other_lead", "nobody"),
    "agencychecks:glossary_add": ("bu", "bu"),
    "agencychecks:glossary_delete": ("nobody", "bu"),
    "agencychecks:glossary_edit": ("bu", "bu"),
    "agencychecks:index": ("bu chair lead other_lead", "nobody"),
    "agencychecks:issue": ("bu", "bu"),
    "agencychecks:pack": ("bu chair", "-"),
    "agencychecks:pack_pdf": ("bu chair", "-"),
    "agencychecks:return": ("bu", "bu"),
    "agencychecks:section": ("lead", "lead"),
    "agencychecks:versions": ("bu chair lead", "bu chair lead"),
    # audit
    "audit:case_history": ("bu chair", "nobody"),
    "audit:legal_hold": ("bu", "bu"),
    "audit:legal_hold_remove": ("nobody", "bu"),
    "audit:log": ("bu", "nobody"),
    "audit:retention": ("bu", "nobody"),
    "audit:retention_rule": ("bu", "bu"),
    "audit:retention_propose": ("-", "bu"),
    "audit:retention_confirm": ("-", "bu"),
    "audit:retention_withdraw": ("-", "bu"),
    "audit:subject_access": ("bu", "bu"),
    # clocks
    "clocks:all": ("bu", "nobody"),
    "clocks:closure_remove": ("bu", "bu"),
    "clocks:closures": ("bu", "bu"),
    "clocks:detail": ("bu", "nobody"),
    "clocks:mine": ("signed_in", "-"),
    "clocks:recalculate": ("bu", "bu"),
    # decisions
    "decisions:awaiting": ("exec other_exec", "nobody"),
    "decisions:cspr": ("bu chair exec other_exec", "bu chair exec other_exec"),
    "decisions:cspr_commission": ("bu", "bu"),
    "decisions:cspr_edit": ("bu", "bu"),
    "decisions:cspr_implementation_review": ("bu", "bu"),
    "decisions:cspr_publish": ("bu", "bu"),
    "decisions:cspr_report_sent": ("bu", "bu"),
    "decisions:cspr_workshop": ("bu", "bu"),
    "decisions:dispute_escalate": ("bu chair", "bu chair"),
    "decisions:dispute_meeting": ("bu chair", "bu chair"),
    "decisions:dispute_resolve": ("exec other_exec", "exec other_exec"),
    "decisions:immediate_action_new": ("bu chair", "bu chair"),
    "decisions:index": ("bu chair exec other_exec", "nobody"),
    "decisions:meeting": ("bu chair panel exec other_exec", "nobody"),
    "decisions:meeting_edit": ("bu chair", "bu chair"),
    "decisions:milestone_edit": ("bu", "bu"),
    "decisions:milestone_new": ("bu", "bu"),
    "decisions:national_panel_response": ("bu", "bu"),
    "decisions:national_panel_send": ("bu", "bu"),
    "decisions:no_cspr": ("bu", "bu"),
    "decisions:participation_edit": ("bu", "bu"),
    "decisions:process_edit": ("bu", "bu"),
    "decisions:process_new": ("bu", "bu"),
    "decisions:sheet": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_edit": ("bu", "bu"),
    "decisions:sheet_pdf": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_revise": ("nobody", "bu"),
    "decisions:sheet_send": ("nobody", "bu"),
    "decisions:sheet_sign": ("exec other_exec", "exec other_exec"),
    "decisions:sheet_start": ("nobody", "bu"),
    "decisions:sheet_version": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_version_pdf": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_withdraw": ("bu", "bu"),
    "decisions:vote": ("bu chair panel", "bu chair panel"),
    "decisions:vote_close": ("nobody", "bu chair"),
    # notifications
    "notifications:detail": ("bu", "bu"),
    "notifications:outbox": ("bu", "nobody"),
    "notifications:resend": ("bu", "bu"),
    # panels
    "panels:agenda": ("bu", "bu"),
    "panels:agenda_send": ("nobody", "bu"),
    "panels:attendance": ("bu", "bu"),
    "panels:calendar": ("bu chair", "nobody"),
    "panels:cancel": ("bu", "bu"),
    "panels:conflict_declare": ("bu chair panel conflicted", "bu chair panel conflicted"),
    "panels:conflict_declare_case": ("bu chair panel", "bu chair panel"),
    "panels:conflict_handle": ("bu", "bu"),
    "panels:conflict_record": ("bu", "bu"),
    "panels:conflict_substitute": ("bu", "bu"),
    "panels:conflicts": ("bu", "nobody"),
    "panels:held": ("bu", "bu"),
    "panels:liaison": ("bu", "bu"),
    "panels:member_add": ("bu", "bu"),
    "panels:member_edit": ("bu", "bu"),
    "panels:member_end": ("nobody", "bu"),
    "panels:members": ("bu chair", "nobody"),
    "panels:panel": ("bu chair panel", "nobody"),
    "panels:schedule": ("bu", "bu"),
    "panels:send_invitations": ("nobody", "bu"),
    "panels:set_up": ("bu", "bu"),
    # referrals
    "referrals:assurance_answer": ("bu chair", "bu chair"),
    "referrals:assurance_new": ("bu chair", "bu chair"),
    # An assurance request's own page: the agency's leads answer it there without seeing the case.
    "referrals:assurance_reply": ("bu chair lead other_lead", "lead other_lead"),
    "referrals:cdop_discussion": ("bu", "bu"),
    "referrals:cdop_list": ("bu", "-"),
    "referrals:cdop_new": ("bu", "bu"),
    "referrals:case_close": ("bu chair", "bu chair"),
    "referrals:case_detail": ("bu chair threshold panel exec other_exec", "-"),
    "referrals:case_list": ("bu chair threshold exec other_exec", "nobody"),
    "referrals:case_summary": ("bu chair threshold panel exec other_exec", "-"),
    "referrals:letter_edit": ("bu chair", "bu chair"),
    "referrals:letter_pdf": ("bu chair", "bu chair"),
    "referrals:letter_send": ("bu chair", "bu chair"),
    "referrals:public_check": ("anon signed_in", "anon signed_in"),
    "referrals:public_done": ("anon signed_in", "-"),
    "referrals:public_referral": ("anon signed_in", "anon signed_in"),
    "referrals:public_start": ("anon signed_in", "-"),
    "referrals:referral_check": ("bu lead other_lead", "bu lead other_lead"),
    "referrals:referral_done": ("bu lead other_lead", "nobody"),
    "referrals:referral_start": ("bu lead other_lead", "bu lead other_lead"),
    "referrals:referral_step": ("bu lead other_lead", "bu lead other_lead"),
    "referrals:send_threshold": ("bu", "bu"),
    "referrals:sin_record": ("bu chair", "bu chair"),
    "referrals:threshold_record": ("bu threshold", "bu threshold"),
    # themes
    "themes:bulletin_pdf": ("bu", "-"),
    "themes:bulletin_send": ("-", "bu"),
    "themes:case_record": ("bu chair", "bu chair"),
    "themes:create": ("bu", "bu"),
    "themes:edit": ("bu", "bu"),
    "themes:index": ("signed_in", "-"),
    "themes:learning": ("bu", "-"),
    "themes:learning_create": ("bu", "bu"),
    "themes:learning_detail": ("bu", "-"),
    "themes:learning_edit": ("bu", "bu"),
    "themes:learning_follow_up_done": ("-", "bu"),
    "themes:list": ("bu chair", "-"),
    "themes:log": ("bu chair", "-"),
    "themes:report": ("bu chair", "-"),
    "themes:report_csv": ("bu chair", "-"),
    "themes:statistics": ("bu chair exec other_exec", "-"),
    "themes:statistics_csv": ("bu chair exec other_exec", "-"),
    "themes:statistics_xlsx": ("bu chair exec other_exec", "-"),
    "themes:toggle": ("-", "bu"),
}


def expected(name: str, method: str) -> tuple[set[str], bool]:
    """The people allowed, and whether the method is offered at all."""
    spec = ACCESS[name][0 if method == "get" else 1]
    if spec == "-":
        return set(), False
    if spec == "nobody":
        return set(), True
    return set(spec.replace("signed_in", SIGNED_IN).split()), True
