"""Prove a restore: the same rows, the same pages, the same files, and the audit protection still in force.

    manage.py restore_check --write before.json     # on the installation that was backed up
    manage.py restore_check --compare before.json   # on the restored copy; exits non-zero on any difference

What it records (docs/operations.md, "Proving a restore"):
- the row count of every table;
- for the case with the most recent signed decision sheet: its case page, its decision sheet PDF (status, page
  count, the case reference in the text), as a business unit user of the case's partnership;
- for the most recent uploaded evidence file: the download's status and SHA-256;
- on PostgreSQL: that an UPDATE of the access log and of a signature is refused by the append-only triggers.

It reads through the whole stack (URL names and the test client), so a restore that lost static files, uploads
or a trigger fails here, not in front of a user. It writes nothing: each request runs in a transaction rolled back.
"""

import hashlib
import io
import json
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from rapidreview.accounts.models import Role, RoleAssignment


class Rollback(Exception):
    pass


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608  # nosec B608 - table names come from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def _client_for(partnership_id) -> Client:
    assignment = (RoleAssignment.objects.filter(role=Role.BUSINESS_UNIT, partnership_id=partnership_id,
                                                user__is_active=True, ends_on__isnull=True)
                  .select_related("user").order_by("pk").first())
    if assignment is None:
        raise CommandError("No business unit user to read the pages as.")
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)
    client.force_login(assignment.user)
    return client


def pages() -> dict:
    Signature = apps.get_model("decisions", "Signature")
    Evidence = apps.get_model("actionplan", "ActionEvidence")
    result = {}
    signature = Signature.objects.select_related("sheet__case").order_by("-signed_at", "-pk").first()
    if signature is not None:
        case = signature.sheet.case
        client = _client_for(case.partnership_id)
        page = client.get(reverse("referrals:case_detail", args=[case.pk]))
        pdf = client.get(reverse("decisions:sheet_pdf", args=[case.pk]))
        text = ""
        pages_count = 0
        if pdf.status_code == 200:
            reader = PdfReader(io.BytesIO(pdf.content))
            pages_count = len(reader.pages)
            text = " ".join(p.extract_text() or "" for p in reader.pages)
        result["case"] = {"reference": case.reference, "page_status": page.status_code,
                          "page_names_case": case.reference in page.content.decode(),
                          "pdf_status": pdf.status_code, "pdf_pages": pages_count,
                          "pdf_names_case": case.reference in text}
    evidence = Evidence.objects.exclude(file="").select_related("action").order_by("-added_at", "-pk").first()
    if evidence is not None:
        client = _client_for(evidence.action.partnership_id)
        download = client.get(reverse("actionplan:evidence_download", args=[evidence.action_id, evidence.pk]))
        body = b"".join(download.streaming_content) if download.streaming else download.content
        result["evidence"] = {"id": evidence.pk, "status": download.status_code,
                              "sha256": hashlib.sha256(body).hexdigest()}
    return result


def triggers() -> dict:
    """Per protected table: whether its append-only trigger exists, is enabled and refuses an UPDATE of a row."""
    if connection.vendor != "postgresql":
        return {}
    found = {}
    for table in ("audit_accesslog", "decisions_signature"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE c.relname = %s AND t.tgname = %s AND t.tgenabled <> 'D'",
                           [table, f"{table}_append_only"])
            enabled = cursor.fetchone()[0] == 1
        refused = False
        try:
            with transaction.atomic():
                if table == "audit_accesslog":  # a row to try on, rolled back with the attempt
                    apps.get_model("audit", "AccessLog").objects.create(action="view", path="/restore-check")
                with connection.cursor() as cursor:
                    cursor.execute(f'UPDATE "{table}" SET id = id WHERE id = (SELECT MIN(id) FROM "{table}")')  # noqa: S608,E501  # nosec B608
                raise Rollback
        except DatabaseError:
            refused = True
        except Rollback:
            pass
        found[table] = enabled and refused
    return found


def snapshot() -> dict:
    try:
        with transaction.atomic():
            result = {"tables": table_counts(), "pages": pages()}
            raise Rollback(result)  # nothing the page views wrote (the access log) is kept
    except Rollback as done:
        result = done.args[0]
    result["append_only"] = triggers()
    return result


class Command(BaseCommand):
    help = "Record or compare row counts, key pages and files, and the audit triggers, to prove a restore."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--write", metavar="FILE", help="Record this installation's state to FILE.")
        group.add_argument("--compare", metavar="FILE", help="Compare this installation with FILE.")

    def handle(self, *args, write=None, compare=None, **options):
        now = snapshot()
        if write:
            Path(write).write_text(json.dumps(now, indent=1, sort_keys=True))
            self.stdout.write(f"Recorded {len(now['tables'])} tables, {sum(now['tables'].values())} rows.")
            return
        before = json.loads(Path(compare).read_text())
        problems = []
        for table in sorted(set(before["tables"]) | set(now["tables"])):
            if before["tables"].get(table) != now["tables"].get(table):
                problems.append(f"table {table}: {before['tables'].get(table)} rows before, "
                                f"{now['tables'].get(table)} now")
        if before["pages"] != now["pages"]:
            problems.append(f"pages differ: before {before['pages']}, now {now['pages']}")
        if not before["pages"].get("case") or not before["pages"].get("evidence"):
            problems.append("the backed-up installation had no signed decision sheet or no uploaded evidence")
        for table, refused in now["append_only"].items():
            if not refused:
                problems.append(f"{table} accepted an UPDATE: the append-only trigger is not in force")
        if connection.vendor == "postgresql" and set(now["append_only"]) != {"audit_accesslog",
                                                                             "decisions_signature"}:
            problems.append("the append-only triggers were not checked")
        if problems:
            raise CommandError("Restore check failed:\n- " + "\n- ".join(problems))
        self.stdout.write(self.style.SUCCESS(
            f"Restore check passed: {len(now['tables'])} tables and {sum(now['tables'].values())} rows match; "
            f"case page, decision sheet PDF and evidence download answer as before; append-only triggers in force."))
