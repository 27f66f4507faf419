from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.formatting import rupiah
from billing.billrun import pending_connections, run_bill_run
from billing.ebill import send_ebills
from billing.periods import parse_period


class Command(BaseCommand):
    help = "Create the bills of a period (YYYY-MM) for every active connection; safe to re-run or resume."

    def add_arguments(self, parser):
        parser.add_argument("period", help="the billing month, YYYY-MM")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, period: str, batch_size: int, no_progress: bool, **options):
        try:
            month = parse_period(period)
        except ValueError as exc:
            raise CommandError(f"{period!r} is not a period: write it as YYYY-MM, e.g. 2026-01.") from exc
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        bar = tqdm(
            total=pending_connections(month), unit="conn", disable=no_progress, file=self.stderr, dynamic_ncols=True
        )
        with bar:
            summary = run_bill_run(month, batch_size=batch_size, progress=bar.update)
        if summary.beside_another:
            self.stdout.write(
                f"Another bill run of {month:%Y-%m} was already in progress: this one worked beside it, taking "
                "turns batch by batch. The figures below are this run's share; each bill was created once."
            )
        if summary.resumed:
            self.stdout.write(f"Resumed the interrupted bill run of {month:%Y-%m}.")
        if not summary.created:
            self.stdout.write(f"Nothing new: every billable connection already has its {month:%Y-%m} bill.")
        self.stdout.write(
            f"Bill run {month:%Y-%m}: created {summary.created}, skipped (already billed) {summary.skipped}, "
            f"estimated {summary.estimated}, held for review {summary.flagged}, no tariff {summary.no_tariff}, "
            f"total {rupiah(summary.total_amount)}."
        )
        self.stdout.write(f"E-bills queued for paperless connections: {send_ebills(month)}.")
