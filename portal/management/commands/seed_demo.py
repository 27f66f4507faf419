import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts import demo as accounts_demo
from accounts.models import ServiceConnection
from billing import demo as billing_demo
from billing.payments import demo as payments_demo
from complaints import demo as complaints_demo
from portal import demo as portal_demo


class Command(BaseCommand):
    help = "Fill the database with a realistic synthetic utility: areas, customers, connections, demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--connections", type=int, default=500, help="how many connections (default 500)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same data")
        parser.add_argument("--force", action="store_true", help="run even when DEBUG is off")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when connections exist already")

    def handle(self, *args, connections: int, seed: int, force: bool, if_empty: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to add demo data with DEBUG off (a production database?). Use --force.")
        if connections < 2:
            raise CommandError("--connections must be at least 2 (the demo customer holds two).")
        if if_empty and ServiceConnection.objects.exists():
            self.stdout.write("Demo data exists already; nothing to do.")
            return
        rng = random.Random(seed)
        progress = options["verbosity"] > 0
        started = time.monotonic()
        counts = accounts_demo.seed(connections=connections, rng=rng, progress=progress)
        self.stdout.write(f"Accounts: {time.monotonic() - started:.1f} s.")
        for name, module in (
            ("Billing", billing_demo),
            ("Payments", payments_demo),
            ("Complaints", complaints_demo),
            ("Questioned bill", portal_demo),
        ):
            stage = time.monotonic()
            module.seed(rng=rng, progress=progress, stdout=self.stdout)
            self.stdout.write(f"{name}: {time.monotonic() - stage:.1f} s.")
        if connection.vendor == "postgresql":
            # Statistics of the tables just filled: before autovacuum gets to them the planner would take ten
            # million payments for ten thousand (a 270 ms plan on the staff home page at 1,000,000 connections).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {counts['connections']} connections in {counts['areas']} areas "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(f"Demo logins (password {accounts_demo.DEMO_PASSWORD}):")
        for email in [accounts_demo.DEMO_CUSTOMER_EMAIL, *accounts_demo.DEMO_STAFF]:
            self.stdout.write(f"  {email}")
