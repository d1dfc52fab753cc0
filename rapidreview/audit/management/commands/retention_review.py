"""List the closed cases past their retention period; anonymise (or delete) them with --confirm."""

from django.core.management.base import BaseCommand, CommandError

from rapidreview.accounts.models import Partnership, User
from rapidreview.audit.retention import case_anonymise, case_delete, cases_past_retention


class Command(BaseCommand):
    help = ("List the closed cases past their partnership's retention periods (a dry run), for one partnership or "
            "all. With --confirm, anonymise them.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", help="The slug of the partnership that leads the cases (default: all).")
        parser.add_argument("--confirm", action="store_true", help="Really anonymise (or delete) the cases listed.")
        parser.add_argument("--delete", action="store_true",
                            help="Delete instead of anonymising (cases other records still need are anonymised).")
        parser.add_argument("--actor", help="E-mail address of the business unit member who authorised this.")

    def handle(self, *args, partnership=None, confirm=False, delete=False, actor=None, **options):
        partnerships = Partnership.objects.order_by("name")
        if partnership:
            partnerships = partnerships.filter(slug=partnership)
            if not partnerships.exists():
                raise CommandError("No partnership has that slug.")
        actor_user = None
        if actor:
            actor_user = User.objects.filter(email__iexact=actor).first()
            if actor_user is None:
                raise CommandError("No account has that e-mail address.")
        due = []
        for each in partnerships:
            # Each partnership's own retention periods, over the cases it leads.
            for item in cases_past_retention(partnership=each):
                due.append(item)
                self.stdout.write(f"{each.slug}\t{item.reference}\t{item.record_type}\tclosed {item.closed_on:%d/%m/%Y}"
                                  f"\tdue {item.due_on:%d/%m/%Y}")
        if not confirm:
            self.stdout.write(f"{len(due)} case(s) past retention. Dry run: nothing changed. "
                              "Run again with --confirm to anonymise them.")
            return
        done = {"anonymised": 0, "deleted": 0}
        for item in due:
            action = (case_delete if delete else case_anonymise)(case_id=item.case_id, actor=actor_user)
            done[action.kind] += 1
        self.stdout.write(f"{done['anonymised']} case(s) anonymised, {done['deleted']} deleted.")
