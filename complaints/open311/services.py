"""Open311 over the complaints desk: services are the categories, a request is filed through the filing service.

Reading returns only what public tracking may show (see `public_request`); personal data never leaves here.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import Area
from accounts.partners.models import Partner
from complaints.forms import ReportForm
from complaints.models import Category, Complaint, ComplaintEvent
from complaints.open311.models import Open311Request
from complaints.services import filing
from complaints.services.tickets import normalise_ticket

AREA_ATTRIBUTE = "kelurahan"
LIST_LIMIT = 1000  # the spec's default page: the 1000 most recent requests
DEFAULT_DAYS = 90  # the spec's default window when no dates are given
CLOSED_STATUSES = (Complaint.Status.RESOLVED, *Complaint.FINAL_STATUSES)
# The report form's field names, as the spec names the same thing (so errors speak the partner's language).
SPEC_NAMES = {
    "category": "service_code",
    "description": "description",
    "address": "address_string",
    "area": f"attribute[{AREA_ATTRIBUTE}]",
    "latitude": "lat",
    "longitude": "long",
    "reporter_name": "first_name",
    "reporter_phone": "phone",
    "reporter_email": "email",
}


class Open311Error(Exception):
    """A refusal in the spec's shape: the HTTP status and one description per problem (already translated)."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(*descriptions)
        self.status = status
        self.descriptions = list(descriptions)


@dataclass(frozen=True)
class Filed:
    service_request_id: str
    token: str


def services() -> QuerySet[Category]:
    """The complaint categories anyone may report, as Open311 services."""
    return Category.objects.filter(is_active=True)


def service(code: str) -> Category:
    category = services().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("There is no service with the code %(code)s.") % {"code": code})
    return category


def kelurahan_choices() -> QuerySet[Area]:
    """The values of the one attribute every service asks for: where the problem is."""
    return Area.objects.filter(level=Area.Level.KELURAHAN).order_by("name")


def _form_data(params, category: Category) -> dict:
    area_code = params.get(f"attribute[{AREA_ATTRIBUTE}]", "")
    area = kelurahan_choices().filter(code=area_code).first() if area_code else None
    name = " ".join(part.strip() for part in (params.get("first_name", ""), params.get("last_name", "")) if part)
    return {
        "category": category.pk,
        "description": params.get("description", ""),
        "address": params.get("address_string", ""),
        "area": area.pk if area else "",
        "latitude": params.get("lat", ""),
        "longitude": params.get("long", ""),
        "reporter_name": name,
        "reporter_phone": params.get("phone", ""),
        "reporter_email": params.get("email", ""),
    }


def _media_url(params) -> str:
    url = params.get("media_url", "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise Open311Error(400, _("media_url: give an http or https link.")) from None
        if len(url) > Open311Request._meta.get_field("media_url").max_length:
            raise Open311Error(400, _("media_url: the link is too long."))
    return url


def file_request(partner: Partner, params) -> Filed:
    """File the partner's request as a complaint, with the same form, rules and messages as a web report.

    Raises Open311Error (400) listing every problem; then nothing is stored.
    """
    category = services().filter(code=params.get("service_code", "")).first()
    if category is None:
        raise Open311Error(400, _("service_code: choose one of the services."))
    media_url = _media_url(params)
    form = ReportForm(_form_data(params, category))
    if not form.is_valid():
        raise Open311Error(
            400,
            *(
                f"{SPEC_NAMES.get(field, field)}: {message}"
                for field, messages in form.errors.items()
                for message in messages
            ),
        )
    with transaction.atomic():
        complaint = filing.file_complaint(form.report(), [])
        request = Open311Request.objects.create(
            complaint=complaint, partner=partner, token=secrets.token_urlsafe(16), media_url=media_url
        )
        note = _("Filed over Open311 by %(partner)s.") % {"partner": partner.name}
        if media_url:
            note += " " + _("Media link (not checked, open with care): %(url)s") % {"url": media_url}
        ComplaintEvent.objects.create(complaint=complaint, kind=ComplaintEvent.Kind.NOTE, public=False, message=note)
    return Filed(service_request_id=complaint.ticket, token=request.token)


def _public_requests() -> QuerySet[Complaint]:
    # The latest note staff made public (a status change or an update); the reporter's own words are not shown.
    latest_note = (
        ComplaintEvent.objects.filter(
            complaint=OuterRef("pk"),
            public=True,
            by_reporter=False,
            kind__in=(ComplaintEvent.Kind.STATUS, ComplaintEvent.Kind.UPDATE),
        )
        .exclude(message="")
        .order_by("-created_at", "-pk")
        .values("message")[:1]
    )
    return (
        Complaint.objects.select_related("category", "area__parent")
        .annotate(status_note=Subquery(latest_note))
        .order_by("-created_at", "-pk")
    )


def _when(params, name: str) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise Open311Error(
            400, _("%(name)s: give a date and time in ISO 8601 (2026-12-01T08:00:00+08:00).") % {"name": name}
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def find_requests(params) -> list[Complaint]:
    """The spec's search: a list of ids wins over every other filter; otherwise service, dates and status."""
    found = _public_requests()
    ids = [normalise_ticket(part) for part in params.get("service_request_id", "").split(",") if part.strip()]
    if ids:
        return list(found.filter(ticket__in=[number for number in ids if number])[:LIST_LIMIT])
    codes = [code.strip() for code in params.get("service_code", "").split(",") if code.strip()]
    if codes:
        found = found.filter(category__code__in=codes)
    start, end = _when(params, "start_date"), _when(params, "end_date")
    if start is None and end is None:
        start = timezone.now() - timedelta(days=DEFAULT_DAYS)
    if start is not None:
        found = found.filter(created_at__gte=start)
    if end is not None:
        found = found.filter(created_at__lte=end)
    statuses = {status.strip() for status in params.get("status", "").split(",") if status.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status: use open, closed or both."))
    if statuses == {"open"}:
        found = found.filter(status__in=Complaint.OPEN_STATUSES)
    elif statuses == {"closed"}:
        found = found.filter(status__in=CLOSED_STATUSES)
    return list(found[:LIST_LIMIT])


def find_request(service_request_id: str) -> Complaint:
    complaint = _public_requests().filter(ticket=normalise_ticket(service_request_id) or "").first()
    if complaint is None:
        raise Open311Error(404, _("There is no request with that id."))
    return complaint


def request_for_token(token: str) -> Open311Request:
    found = Open311Request.objects.select_related("complaint").filter(token=token).first()
    if found is None:
        raise Open311Error(404, _("There is no request with that token."))
    return found


def rounded(value: Decimal | None) -> Decimal | None:
    """A coordinate to two decimals (about a kilometre), the scale of a kelurahan: the place, not the house."""
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if value is not None else None
