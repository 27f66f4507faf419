from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.formatting import rupiah
from accounts.partners.models import Partner
from billing.partners.snap.reconcile import SettlementFileError, read_settlement_file, reconcile


class Command(BaseCommand):
    help = (
        "Compare a partner's daily SNAP settlement file (CSV: business_date,payment_request_id,customer_no,amount) "
        "with Tirta's payments of that business date; exits 1 when they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument("partner", help="the partner id (client key)")
        parser.add_argument("file", type=Path)

    def handle(self, *args, partner: str, file: Path, **options):
        found = Partner.objects.filter(partner_id=partner).first()
        if found is None:
            raise CommandError(f"No partner {partner!r}.")
        try:
            day, lines = read_settlement_file(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except (SettlementFileError, UnicodeDecodeError) as exc:
            raise CommandError(str(exc)) from exc
        result = reconcile(found, day, lines)
        for line in result.missing_in_tirta:
            self.stdout.write(f"missing in Tirta: {line.payment_request_id} {line.customer_no} {rupiah(line.amount)}")
        for line in result.missing_in_file:
            self.stdout.write(
                f"missing in the file: {line.payment_request_id} {line.customer_no} {rupiah(line.amount)} "
                f"{line.receipt_number}"
            )
        for mine, theirs in result.amount_differences:
            self.stdout.write(
                f"amount differs: {mine.payment_request_id} Tirta {rupiah(mine.amount)}, file {rupiah(theirs.amount)}"
            )
        self.stdout.write(
            f"{found.name} {day.isoformat()}: {len(result.matched)} matched, {len(result.missing_in_tirta)} missing "
            f"in Tirta, {len(result.missing_in_file)} missing in the file, "
            f"{len(result.amount_differences)} amount differences."
        )
        if not result.balanced:
            raise SystemExit(1)
