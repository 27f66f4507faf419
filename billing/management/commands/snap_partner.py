import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.management.base import BaseCommand, CommandError

from accounts.partners import services
from accounts.partners.models import Partner


def _public_key(file: Path) -> str:
    try:
        pem = file.read_text(encoding="ascii")
        key = serialization.load_pem_public_key(pem.encode())
    except (OSError, ValueError) as exc:
        raise CommandError(f"{file} is not a readable PEM public key.") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise CommandError(f"{file} is not an RSA public key.")
    return pem


class Command(BaseCommand):
    help = "Register, list, rotate the client secret of, or deactivate a SNAP BI partner (audited as the system)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="register a partner; prints its client secret once")
        add.add_argument("name")
        add.add_argument("--partner-id", required=True, help="X-PARTNER-ID / X-CLIENT-KEY the partner sends")
        add.add_argument("--public-key", type=Path, required=True, help="the partner's RSA public key (PEM file)")
        add.add_argument("--company-code", required=True, help="partnerServiceId, at most 8 characters")
        add.add_argument("--bank", default="", help='the bank name receipts show as "VA <bank>"')
        add.add_argument("--channel", action="append", default=[], help="an allowed CHANNEL-ID (repeatable)")
        add.add_argument("--cutoff", default="00:00", help="settlement cut-off, local time HH:MM")
        rotate = actions.add_parser("rotate", help="a new client secret, printed once; the old one stops working")
        rotate.add_argument("partner_id")
        deactivate = actions.add_parser("deactivate", help="refuse the partner's calls from now on")
        deactivate.add_argument("partner_id")
        actions.add_parser("list", help="every partner with its state")

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _partner(self, partner_id: str) -> Partner:
        partner = Partner.objects.filter(partner_id=partner_id).first()
        if partner is None:
            raise CommandError(f"No partner {partner_id!r}.")
        return partner

    def _add(self, *, name, partner_id, public_key, company_code, bank, channel, cutoff, **options):
        if not company_code.strip() or len(company_code.strip()) > 8:
            raise CommandError("The company code has 1 to 8 characters.")
        if Partner.objects.filter(partner_id=partner_id).exists():
            raise CommandError(f"Partner {partner_id!r} exists already.")
        try:
            cutoff_time = datetime.time.fromisoformat(cutoff)
        except ValueError as exc:
            raise CommandError("--cutoff is a local time such as 23:00.") from exc
        partner, secret = services.register_partner(
            name=name,
            partner_id=partner_id,
            company_code=company_code.strip(),
            public_key_pem=_public_key(public_key),
            channel_ids=channel,
            bank_name=bank,
            settlement_cutoff=cutoff_time,
        )
        self.stdout.write(f"Registered {partner.name} ({partner.partner_id}). Client secret, shown once: {secret}")

    def _rotate(self, *, partner_id, **options):
        secret = services.rotate_client_secret(self._partner(partner_id))
        self.stdout.write(f"New client secret of {partner_id}, shown once: {secret}")

    def _deactivate(self, *, partner_id, **options):
        services.deactivate(self._partner(partner_id))
        self.stdout.write(f"{partner_id} deactivated.")

    def _list(self, **options):
        for partner in Partner.objects.order_by("name"):
            state = "active" if partner.active else "inactive"
            self.stdout.write(
                f"{partner.partner_id}\t{partner.name}\t{partner.company_code}\t{partner.bank_name}\t"
                f"{','.join(partner.channel_ids)}\t{partner.settlement_cutoff:%H:%M}\t{state}"
            )
