"""Who may use each page: the access policy of DESIGN.md §4, page by page.

First written from what the application did (``SECURITY_MATRIX_DISCOVER``), then reviewed line by line against
DESIGN.md §4; a change in behaviour fails the matrix until someone decides it is right and edits this file.

One row per URL name: (who may GET, who may POST[, scene]).

- People are named as in ``world.PERSONAS``; "signed_in" means everyone signed in; "-" means the page does not
  offer that method (405 for all); "nobody" means every person is refused (403, 404, 405 or sent to sign in).
- The people allowed get the page (200). Where the page's answer is a redirect (an action that is done and goes
  back, or a page that hands over to another), the intended target is named: "bu -> decisions:sheet" means the
  business unit is sent to the decision sheet. "-> invalid" means the page answers 400 with its error summary (the
  matrix posts an empty form). Groups are separated by commas: "anon, signed_in -> home". Any other answer fails.
- The scene (default "A") is the state of the world the page is asked in: see ``world.py``.

Adding a page: add its row here; if it needs an object the world does not build, build it in ``world.py`` (through
the app's services) and name the scene.
"""

from .world import PERSONAS

SIGNED_IN = " ".join(p for p in PERSONAS if p != "anon")

# Pages open without signing in.
PUBLIC = {
    "healthz", "accessibility", "privacy",
    "accounts:login", "accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "referrals:public_start", "referrals:public_referral", "referrals:public_check", "referrals:public_done",
    "referrals:public_partnership",
}

# Who may see each scene's child's name anywhere in the application (case A and the decision-stage scenes involve
# panel and lead; case B involves neither; the not-met referral is seen by those who decide on threshold). Every
# other person must never receive the name in any response.
SEES_CHILD_NAME = {
    "A": {"bu", "chair", "threshold", "panel", "lead", "exec", "other_exec"},
    "B": {"bu", "chair", "threshold", "exec", "other_exec"},
    "not_met": {"bu", "chair", "threshold"},
    "cspr": {"bu", "chair", "threshold", "panel", "lead", "exec", "other_exec"},
    "disputed": {"bu", "chair", "threshold", "panel", "lead", "exec", "other_exec"},
    "escalated": {"bu", "chair", "threshold", "panel", "lead", "exec", "other_exec"},
    "draft": {"bu", "chair", "threshold", "panel", "lead", "exec", "other_exec"},
    "cdop": set(),  # a CDOP or JAR discussion names no child: its own reference only
}

ACCESS: dict[str, tuple[str, ...]] = {
    # shell
    "accessibility": ("anon signed_in", "-"),
    "healthz": ("anon signed_in", "-"),
    "home": ("signed_in", "-"),
    "privacy": ("anon signed_in", "-"),
    # Everything that needs the person in each of their partnerships (issue 18): only their own items.
    "what_needs_me": ("signed_in", "-"),
    # accounts
    "accounts:account": ("signed_in", "-"),
    "accounts:agencies": ("bu", "nobody"),
    "accounts:agency_edit": ("bu", "bu"),
    # Buttons on the agencies page: add one of the installation's agencies to the arrangements, or take one out.
    "accounts:agency_add": ("-", "bu -> accounts:agencies"),
    "accounts:agency_remove": ("-", "bu -> accounts:agencies"),
    "accounts:agency_new": ("bu", "bu"),
    # The installation's administrator (a flag on the account, held by none of the matrix's people) creates
    # partnerships and their first business unit user, and sees no case content.
    "accounts:installation": ("nobody", "nobody"),
    "accounts:partnership_new": ("nobody", "nobody"),
    "accounts:login": ("anon, signed_in -> home", "anon, signed_in -> home"),
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
    "accounts:lead_partners": ("bu", "nobody"),
    "accounts:lead_partner_new": ("bu", "bu"),
    "accounts:lead_partner_edit": ("bu", "bu"),
    "accounts:people": ("bu", "nobody"),
    "accounts:person_add_existing": ("bu", "bu"),
    "accounts:person": ("bu", "nobody"),
    "accounts:person_edit": ("bu", "bu"),
    "accounts:person_new": ("bu", "bu"),
    "accounts:reauthenticate": ("signed_in", "signed_in"),
    "accounts:role_add": ("bu", "bu"),
    "accounts:role_end": ("nobody", "bu -> accounts:person"),
    # The header's partnership switcher: a POST naming one of the person's partnerships (the matrix names none).
    "accounts:switch_partnership": ("-", "nobody"),
    # actionplan
    "actionplan:confirm": ("-", "wg -> actionplan:detail"),
    "actionplan:create": ("bu wg", "bu wg"),
    "actionplan:detail": ("bu lead wg chair exec", "-"),
    "actionplan:edit": ("bu wg", "bu wg"),
    "actionplan:evidence_add": ("lead wg", "lead wg"),
    "actionplan:evidence_download": ("bu wg lead", "-"),
    "actionplan:export_csv": ("bu lead wg other_lead chair exec other_exec", "-"),
    "actionplan:export_xlsx": ("bu lead wg other_lead chair exec other_exec", "-"),
    "actionplan:import": ("wg bu", "wg bu"),
    "actionplan:import_columns": ("wg bu -> actionplan:import", "wg bu -> actionplan:import"),
    "actionplan:import_preview": ("wg bu -> actionplan:import", "wg bu -> actionplan:import"),
    "actionplan:import_template": ("wg bu", "-"),
    "actionplan:list": ("bu lead wg other_lead chair exec other_exec", "-"),
    "actionplan:meeting": ("bu wg", "-"),
    "actionplan:meeting_create": ("wg", "wg"),
    "actionplan:meetings": ("bu wg", "-"),
    "actionplan:progress": ("lead wg", "lead wg"),
    "actionplan:send_back": ("wg", "wg"),
    # agencychecks
    "agencychecks:accept": ("nobody", "bu -> agencychecks:board", "draft"),
    "agencychecks:board": ("bu chair", "nobody"),
    "agencychecks:check": ("lead", "lead -> invalid"),
    "agencychecks:distribute": ("bu", "bu"),
    "agencychecks:form": ("bu chair lead", "nobody"),
    "agencychecks:glossary": ("bu chair lead other_lead", "nobody"),
    "agencychecks:glossary_add": ("bu", "bu"),
    "agencychecks:glossary_delete": ("nobody", "bu -> agencychecks:glossary"),
    "agencychecks:glossary_edit": ("bu", "bu"),
    "agencychecks:index": ("bu chair lead other_lead", "nobody"),
    "agencychecks:issue": ("bu", "bu"),
    "agencychecks:pack": ("bu chair", "-"),
    "agencychecks:pack_pdf": ("bu chair", "-"),
    "agencychecks:return": ("bu", "bu", "draft"),
    "agencychecks:section": ("lead", "lead -> agencychecks:section"),
    "agencychecks:versions": ("bu chair lead", "-", "cspr"),
    # audit
    "audit:case_history": ("bu chair", "nobody"),
    "audit:legal_hold": ("bu", "bu"),
    "audit:legal_hold_remove": ("nobody", "bu -> audit:case_history"),
    "audit:log": ("bu", "nobody"),
    "audit:retention": ("bu", "nobody"),
    "audit:retention_rule": ("bu", "bu"),
    "audit:retention_propose": ("-", "bu -> audit:retention"),
    "audit:retention_confirm": ("-", "bu -> audit:retention"),
    "audit:retention_withdraw": ("-", "bu -> audit:retention"),
    "audit:subject_access": ("bu", "bu"),
    # clocks
    "clocks:all": ("bu", "nobody"),
    "clocks:closure_remove": ("-", "bu -> clocks:closures"),
    "clocks:closures": ("bu", "bu"),
    "clocks:detail": ("bu", "nobody"),
    "clocks:mine": ("signed_in", "-"),
    "clocks:recalculate": ("bu", "bu"),
    # decisions
    "decisions:awaiting": ("exec other_exec", "nobody"),
    "decisions:cspr": ("bu chair exec other_exec", "-", "cspr"),
    "decisions:cspr_commission": ("bu", "bu"),
    "decisions:cspr_edit": ("bu", "bu", "cspr"),
    "decisions:cspr_checkpoint_new": ("bu", "bu", "cspr"),
    "decisions:cspr_request_new": ("bu", "bu", "cspr"),
    "decisions:cspr_request_answered": ("bu", "bu", "cspr"),
    "decisions:cspr_family_draft": ("bu", "bu", "cspr"),
    "decisions:family_contact_new": ("bu", "bu", "cspr"),
    "decisions:family_contact_edit": ("bu", "bu", "cspr"),
    "decisions:cspr_implementation_review": ("bu", "bu", "cspr"),
    "decisions:cspr_publish": ("bu", "bu", "cspr"),
    "decisions:cspr_publication_correct": ("bu -> decisions:cspr", "bu -> decisions:cspr", "cspr"),
    "decisions:cspr_report_sent": ("bu", "bu", "cspr"),
    "decisions:cspr_workshop": ("bu", "bu", "cspr"),
    "decisions:dispute_escalate": ("bu chair", "bu chair", "disputed"),
    "decisions:dispute_meeting": ("bu chair", "bu chair", "disputed"),
    "decisions:dispute_resolve": ("exec", "exec", "escalated"),
    "decisions:immediate_action_new": ("bu chair", "bu chair"),
    "decisions:index": ("bu chair exec other_exec", "nobody"),
    "decisions:meeting": ("bu chair panel exec other_exec", "nobody"),
    "decisions:meeting_edit": ("bu chair", "bu chair"),
    "decisions:milestone_edit": ("bu", "bu", "cspr"),
    "decisions:milestone_new": ("bu", "bu", "cspr"),
    "decisions:national_panel_correct": ("bu", "bu", "cspr"),
    "decisions:national_panel_response": ("bu", "bu"),
    "decisions:national_panel_send": ("bu", "bu"),
    "decisions:no_cspr": ("bu", "bu"),
    "decisions:participation_edit": ("bu", "bu", "cspr"),
    "decisions:process_edit": ("bu", "bu", "cspr"),
    "decisions:process_new": ("bu", "bu", "cspr"),
    "decisions:sheet": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_edit": ("bu", "bu -> invalid", "draft"),
    "decisions:sheet_pdf": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_revise": ("nobody", "bu -> decisions:sheet", "disputed"),
    "decisions:sheet_send": ("nobody", "bu -> decisions:sheet", "draft"),
    "decisions:sheet_sign": ("exec other_exec", "exec other_exec"),
    "decisions:sheet_start": ("nobody", "bu -> decisions:sheet"),
    "decisions:sheet_version": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_version_pdf": ("bu chair exec other_exec", "nobody"),
    "decisions:sheet_withdraw": ("bu", "bu"),
    "decisions:vote": ("bu chair panel", "bu chair panel -> invalid"),
    "decisions:vote_close": ("nobody", "bu chair -> decisions:vote"),
    # notifications
    "notifications:detail": ("bu", "-"),
    "notifications:outbox": ("bu", "nobody"),
    "notifications:resend": ("-", "bu -> notifications:outbox"),
    # partnership_export: a partnership's business unit asks for its data to leave and a second member confirms; the
    # archive is ready to download only once built (the world's is not: refused to everyone). Imports are the
    # installation administrator's, who is none of the matrix's people.
    "partnership_export:confirm": ("-", "bu -> partnership_export:export"),
    "partnership_export:download": ("nobody", "-"),
    "partnership_export:export": ("bu", "-"),
    "partnership_export:exports": ("bu", "-"),
    "partnership_export:import": ("nobody", "nobody"),
    "partnership_export:import_cancel": ("nobody", "nobody"),
    "partnership_export:import_done": ("nobody", "nobody"),
    "partnership_export:import_start": ("nobody", "nobody"),
    "partnership_export:request": ("bu", "bu"),
    "partnership_export:withdraw": ("-", "bu -> partnership_export:export"),
    # panels
    "panels:agenda": ("bu", "bu"),
    "panels:agenda_send": ("nobody", "bu -> panels:panel"),
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
    "panels:member_end": ("nobody", "bu -> panels:members"),
    "panels:members": ("bu chair", "nobody"),
    "panels:panel": ("bu chair panel", "nobody"),
    "panels:reply": ("panel -> panels:panel", "panel -> panels:panel"),
    "panels:calendar_ics": ("panel -> panels:panel", "-"),
    "panels:schedule": ("bu", "bu"),
    "panels:send_invitations": ("nobody", "bu -> panels:panel"),
    "panels:set_up": ("bu", "bu"),
    # referrals
    "referrals:assurance_answer": ("bu chair", "bu chair", "not_met"),
    "referrals:assurance_new": ("bu chair", "bu chair", "not_met"),
    # An assurance request's own page: the agency's leads answer it there without seeing the case.
    "referrals:assurance_reply": ("bu chair lead", "lead", "not_met"),
    "referrals:cdop_discussion": ("bu", "bu", "cdop"),
    "referrals:cdop_list": ("bu", "-"),
    "referrals:cdop_new": ("bu", "bu"),
    "referrals:case_close": ("bu chair", "bu chair", "not_met"),
    # Joint reviews: only the leading partnership's business unit invites another partnership or ends its part.
    "referrals:invite_partnership": ("bu", "bu"),
    "referrals:end_participation": ("bu", "bu"),
    # Further children in the incident: the leading partnership's business unit and chair.
    # Handing the lead to the partnership where the incident happened: only before the threshold discussion, so the
    # business unit is sent back to the case in scene A; no handover waits there, so no one may answer one.
    "referrals:propose_lead": ("bu -> referrals:case_detail", "bu -> referrals:case_detail"),
    "referrals:answer_lead": ("nobody", "nobody"),
    "referrals:child_add": ("bu chair", "bu chair"),
    "referrals:child_edit": ("bu chair", "bu chair"),
    "referrals:child_remove": ("bu chair", "bu chair"),
    "referrals:case_detail": ("bu chair threshold panel exec other_exec", "-"),
    "referrals:case_list": ("bu chair threshold exec other_exec", "nobody"),
    "referrals:case_summary": ("bu chair threshold panel exec other_exec", "-"),
    "referrals:letter_edit": ("bu chair", "bu chair", "not_met"),
    "referrals:letter_pdf": ("bu chair", "-", "not_met"),
    "referrals:letter_send": ("bu chair", "bu chair", "not_met"),
    # The wizards' later steps hand back to their start when nothing was filled in yet (the matrix's session).
    "referrals:public_check": ("anon signed_in -> referrals:public_referral",
                               "anon signed_in -> referrals:public_referral"),
    "referrals:public_done": ("anon signed_in -> referrals:public_start", "-"),
    "referrals:public_partnership": ("anon signed_in", "-"),
    "referrals:public_referral": ("anon signed_in", "anon signed_in"),
    "referrals:public_start": ("anon signed_in", "-"),
    "referrals:referral_check": ("bu lead other_lead -> referrals:referral_start",
                                 "bu lead other_lead -> referrals:referral_start"),
    "referrals:referral_done": ("bu lead other_lead -> home", "nobody"),
    "referrals:referral_start": ("bu lead other_lead", "bu lead other_lead"),
    "referrals:referral_step": ("bu lead other_lead -> referrals:referral_start",
                                "bu lead other_lead -> referrals:referral_start"),
    "referrals:send_threshold": ("bu", "bu"),
    "referrals:sin_record": ("bu chair", "bu chair"),
    "referrals:sin_sheet": ("bu", "-"),
    "referrals:threshold_record": ("bu threshold", "bu threshold"),
    # themes
    # The partnership's figures beside the anonymised spread of the others that share theirs (issue 18 §7).
    "themes:benchmarking": ("bu exec other_exec", "-"),
    "themes:bulletin_pdf": ("bu", "-"),
    "themes:bulletin_send": ("-", "bu -> themes:learning_detail"),
    "themes:case_record": ("bu chair", "bu chair"),
    "themes:create": ("bu", "bu"),
    "themes:edit": ("bu", "bu"),
    "themes:index": ("signed_in -> themes:list", "-"),
    "themes:learning": ("bu", "-"),
    "themes:learning_create": ("bu", "bu"),
    "themes:learning_route_start": ("bu", "bu", "not_met"),
    "themes:learning_detail": ("bu", "-"),
    "themes:learning_edit": ("bu", "bu"),
    "themes:learning_follow_up_done": ("-", "bu -> themes:learning_detail"),
    "themes:list": ("bu chair", "-"),
    "themes:log": ("bu chair", "-"),
    "themes:report": ("bu chair", "-"),
    "themes:report_csv": ("bu chair", "-"),
    "themes:statistics": ("bu chair exec other_exec", "-"),
    "themes:statistics_csv": ("bu chair exec other_exec", "-"),
    "themes:statistics_pdf": ("bu chair exec other_exec", "-"),
    "themes:statistics_xlsx": ("bu chair exec other_exec", "-"),
    "themes:toggle": ("-", "bu -> themes:list"),
}


SCENE = {name: row[2] for name, row in ACCESS.items() if len(row) > 2}


def _groups(name: str, method: str) -> list[tuple[set[str], str]]:
    spec = ACCESS[name][0 if method == "get" else 1]
    groups = []
    for group in spec.split(","):
        people, _, target = group.partition("->")
        target = target.strip()
        wanted = "page" if not target else "invalid" if target == "invalid" else f"redirect:{target}"
        groups.append((set(people.replace("signed_in", SIGNED_IN).split()), wanted))
    return groups


def expected(name: str, method: str) -> tuple[set[str], bool]:
    """The people allowed, and whether the method is offered at all."""
    spec = ACCESS[name][0 if method == "get" else 1]
    if spec == "-":
        return set(), False
    if spec == "nobody":
        return set(), True
    return set().union(*(people for people, _ in _groups(name, method))), True


def answer(name: str, method: str, persona: str) -> str:
    """What an allowed person gets: "page" (200), "invalid" (400, the page with its error summary) or
    "redirect:<url name>"."""
    return next(wanted for people, wanted in _groups(name, method) if persona in people)
