"""Outage and maintenance notices: publishing, updating, closing, and telling the customers in the areas."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import audit, outbox
from accounts.models import Area, ConnectionLink, ServiceConnection, User
from accounts.outbox import Recipient
from accounts.recipients import Kind, dedupe_key, recipients
from complaints.models import Complaint, ComplaintEvent, Outage
from complaints.services import messages

# The home page's content, notices included, is the same for every visitor: it is cached rendered, one copy per
# language (`{% cache %}` in portal/home.html, fragment NOTICES_FRAGMENT varied on the language). Invalidation on
# every change of a notice is what keeps it current; the expiry only bounds the rare race of a reader that read
# the old notices just before a change and stored them just after its invalidation.
NOTICES_FRAGMENT = "home-content"
NOTICES_CACHE_SECONDS = 60


@dataclass(frozen=True)
class NoticeData:
    kind: str
    title: str
    description: str
    areas: list[Area]
    starts_at: datetime
    expected_end_at: datetime


def covered_area_ids(area_ids: list[int]) -> set[int]:
    """The areas named and every village (kelurahan) inside a named district (kecamatan)."""
    children = Area.objects.filter(parent_id__in=area_ids).values_list("pk", flat=True)
    return set(area_ids) | set(children)


def current_notices() -> QuerySet[Outage]:
    """Published notices, for the home page: ongoing ones and planned ones still to come."""
    return Outage.objects.filter(status=Outage.Status.PUBLISHED).prefetch_related("areas").order_by("starts_at")


def forget_public_notices() -> None:
    """Drop the home page's rendered content, in every language, once the change being written is committed
    (the next visitor renders them again)."""
    keys = [make_template_fragment_key(NOTICES_FRAGMENT, [code]) for code, _name in settings.LANGUAGES]
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


def notices_for_areas(area_ids: list[int]) -> QuerySet[Outage]:
    """Published notices touching any of these areas or their districts (the areas of a customer's connections,
    which the page has loaded already)."""
    return current_notices().filter(Q(areas__in=area_ids) | Q(areas__children__in=area_ids)).distinct()


def active_outage_for(area: Area, now: datetime | None = None) -> Outage | None:
    """The outage under way in this area now (directly or through its district), if any."""
    now = now or timezone.now()
    ids = [area.pk] + ([area.parent_id] if area.parent_id else [])
    return (
        Outage.objects.filter(status=Outage.Status.PUBLISHED, starts_at__lte=now, areas__in=ids)
        .order_by("-starts_at")
        .first()
    )


def _fill(outage: Outage, data: NoticeData) -> None:
    outage.kind, outage.title, outage.description = data.kind, data.title.strip(), data.description.strip()
    outage.starts_at, outage.expected_end_at = data.starts_at, data.expected_end_at


def _announce(outage: Outage) -> None:
    from complaints.tasks import notify_outage

    pk, revision = outage.pk, outage.revision
    transaction.on_commit(lambda: notify_outage.delay(pk, revision), robust=True)


def publish(actor: User, data: NoticeData) -> Outage:
    with transaction.atomic():
        outage = Outage(created_by=actor)
        _fill(outage, data)
        outage.save()
        outage.areas.set(data.areas)
        audit.record(actor, "outage.publish", outage, summary=outage.title)
        _announce(outage)
    return outage


def update(outage_id: int, actor: User, data: NoticeData) -> Outage:
    """Change a published notice; the customers in its areas hear about the new version once."""
    with transaction.atomic():
        outage = Outage.objects.select_for_update().get(pk=outage_id)
        if outage.status != Outage.Status.PUBLISHED:
            raise ValueError("a closed notice cannot be updated")
        before = {"title": outage.title, "expected_end_at": outage.expected_end_at.isoformat()}
        _fill(outage, data)
        outage.revision += 1
        outage.updated_at = timezone.now()
        outage.save()
        outage.areas.set(data.areas)
        after = {"title": outage.title, "expected_end_at": outage.expected_end_at.isoformat()}
        audit.record(actor, "outage.update", outage, summary=outage.title, changes=audit.diff(before, after))
        _announce(outage)
    return outage


def close(outage_id: int, actor: User) -> Outage:
    """End a notice: water is back. Idempotent; the customers are told once."""
    with transaction.atomic():
        outage = Outage.objects.select_for_update().get(pk=outage_id)
        if outage.status == Outage.Status.CLOSED:
            return outage
        outage.status = Outage.Status.CLOSED
        outage.closed_at = outage.updated_at = timezone.now()
        outage.revision += 1
        outage.save()
        audit.record(actor, "outage.close", outage, summary=outage.title)
        _announce(outage)
        _tell_linked_reporters(outage)
    return outage


def _tell_linked_reporters(outage: Outage) -> None:
    """Reporters of open tickets linked to the outage hear that supply is back (their ticket stays open)."""
    linked = Complaint.objects.filter(outage=outage, status__in=Complaint.OPEN_STATUSES).select_related(
        "reporter", "category"
    )
    for complaint in linked:
        with translation.override(messages.reporter_recipient(complaint).language):
            text = _("The outage “%(title)s” has ended; water should be flowing again. Tell us if it is not.") % {
                "title": outage.title
            }
        event = ComplaintEvent.objects.create(complaint=complaint, kind=ComplaintEvent.Kind.UPDATE, message=text)
        messages.notify_public_event(complaint, event)


def affected_connections(outage: Outage) -> QuerySet[ServiceConnection]:
    """The active connections in the notice's areas, with what `recipients()` reads about each."""
    area_ids = covered_area_ids(list(outage.areas.values_list("pk", flat=True)))
    links = Prefetch("links", queryset=ConnectionLink.objects.select_related("user"))
    return (
        ServiceConnection.objects.filter(area_id__in=area_ids, status=ServiceConnection.Status.ACTIVE)
        .select_related("customer")
        .prefetch_related(links)
        .order_by("pk")
    )


def notify_affected(outage_id: int, revision: int) -> int:
    """Queue the notice to whoever hears about each active connection in its areas; returns rows queued.

    Only the revision it was asked for is sent: a task delayed past a newer update sends nothing, and
    the dedupe key (notice, revision, person) makes a repeated task harmless and tells a person holding several
    connections in the areas once.
    """
    outage = Outage.objects.filter(pk=outage_id, revision=revision).first()
    if outage is None:
        return 0
    closed = outage.status == Outage.Status.CLOSED
    with translation.override("id"):
        context = {
            "title": outage.title,
            "description": outage.description,
            "kind": outage.kind,
            "kind_label": str(outage.get_kind_display()),
            "closed": closed,
            "starts_at": timezone.localtime(outage.starts_at).strftime("%d-%m-%Y %H:%M"),
            "expected_end_at": timezone.localtime(outage.expected_end_at).strftime("%d-%m-%Y %H:%M"),
            "areas": ", ".join(outage.areas.values_list("name", flat=True)),
        }

    def addressed() -> Iterator[tuple[Recipient, str]]:
        for connection in affected_connections(outage).iterator(chunk_size=2000):
            for recipient in recipients(connection, Kind.OUTAGES):
                yield recipient, dedupe_key("outage", outage.pk, f"r{revision}", recipient=recipient)

    queued = outbox.notify_many(addressed(), "complaints/outage", context)
    Outage.objects.filter(pk=outage_id, announced_revision__lt=revision).update(announced_revision=revision)
    return queued


def announce_pending() -> int:
    """Fan out the notices whose announcing task was lost (the broker was down when they changed); returns rows
    queued. A notice waits OUTBOX_STUCK_MINUTES first, so a task merely waiting in the queue is not doubled (a
    double would still reach nobody twice: the fan-out's dedupe keys hold)."""
    settled = timezone.now() - timedelta(minutes=settings.OUTBOX_STUCK_MINUTES)
    pending = Outage.objects.filter(announced_revision__lt=F("revision"), updated_at__lt=settled)
    return sum(notify_affected(pk, revision) for pk, revision in pending.values_list("pk", "revision"))
