from django.core.management.base import BaseCommand, CommandError

from accounts.partners.models import Partner
from accounts.partners.services import rotate_open311_key


class Command(BaseCommand):
    help = "Issue a partner's Open311 api_key, or replace it (the old key stops working at once); shown only now."

    def add_arguments(self, parser) -> None:
        parser.add_argument("partner_id", help="the partner id (client key) the partner was registered with")

    def handle(self, *args, partner_id: str, **options) -> None:
        partner = Partner.objects.filter(partner_id=partner_id.strip()).first()
        if partner is None:
            raise CommandError(f"No partner with the id {partner_id}.")
        if not partner.active:
            raise CommandError(f"The partner {partner.name} is not active.")
        api_key = rotate_open311_key(partner)
        self.stdout.write(f"Open311 api_key of {partner.name} (shown once, store it now):\n{api_key}")
