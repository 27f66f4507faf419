"""Reporter-facing pages: file a report, track it, follow it, comment and rate."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from accounts import second_factor
from accounts.text import ascii_digits
from complaints.forms import CommentForm, RatingForm, ReportForm, TrackForm
from complaints.models import Complaint, ComplaintPhoto
from complaints.services import filing, queries
from complaints.services.filing import ReporterError

SESSION_KEY = "complaint_tickets"


def _remember(request: HttpRequest, ticket: str) -> None:
    """The reporter's browser may reopen this ticket's page (until the session ends) without typing again."""
    tickets = [t for t in request.session.get(SESSION_KEY, []) if t != ticket]
    request.session[SESSION_KEY] = [ticket, *tickets][:20]


def _phone_key(group: str, request: HttpRequest) -> str:
    raw = request.POST.get("reporter_phone", "")
    digits = ascii_digits(raw)[-9:]
    if digits:
        return f"phone:{digits}"
    return f"user:{request.user.pk}" if request.user.is_authenticated else "phone:none"


def _client_rate(group: str, request: HttpRequest) -> str:
    return settings.COMPLAINTS_RATE_PER_CLIENT


def _phone_rate(group: str, request: HttpRequest) -> str:
    return settings.COMPLAINTS_RATE_PER_PHONE


def _track_rate(group: str, request: HttpRequest) -> str:
    return settings.COMPLAINTS_TRACK_RATE


def _comment_limited(request: HttpRequest, complaint: Complaint) -> bool:
    """Comments count per client and per ticket, only once the ticket is known to be the visitor's: a stranger
    guessing ticket numbers gets 404s and cannot use up a reporter's allowance."""
    by_client = is_ratelimited(
        request, group="complaints.comment", key="ip", rate=settings.COMPLAINTS_COMMENT_RATE_PER_CLIENT, increment=True
    )
    by_ticket = is_ratelimited(
        request,
        group="complaints.comment-ticket",
        key=lambda group, request: complaint.ticket,
        rate=settings.COMPLAINTS_COMMENT_RATE_PER_TICKET,
        increment=True,
    )
    return by_client or by_ticket


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/429.html", status=429)


def visible_complaint(request: HttpRequest, ticket: str) -> Complaint:
    """The ticket if this browser filed or tracked it, or it belongs to the signed-in customer; else 404."""
    complaint = get_object_or_404(Complaint.objects.select_related("category", "outage", "duplicate_of"), ticket=ticket)
    if ticket in request.session.get(SESSION_KEY, []):
        return complaint
    user = request.user
    if user.is_authenticated and queries.complaints_of(user).filter(pk=complaint.pk).exists():
        return complaint
    raise Http404


@ratelimit(key="ip", rate=_client_rate, method="POST", block=False, group="complaints.file")
@ratelimit(key=_phone_key, rate=_phone_rate, method="POST", block=False, group="complaints.file-phone")
def new_report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and getattr(request, "limited", False):
        return _too_many(request)
    form = ReportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        reporter = request.user if request.user.is_authenticated and not request.user.is_staff else None
        complaint = filing.file_complaint(form.report(), form.cleaned_data["photos"], reporter=reporter)
        _remember(request, complaint.ticket)
        messages.success(
            request,
            _("Thank you! Your report has been received. Your ticket number is %(ticket)s.")
            % {"ticket": complaint.ticket},
        )
        return redirect("complaints:ticket", ticket=complaint.ticket)
    return render(request, "complaints/new.html", {"form": form})


@ratelimit(key="ip", rate=_track_rate, method="POST", block=False, group="complaints.track")
def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _too_many(request)
        if form.is_valid():
            complaint = queries.find_for_tracking(form.cleaned_data["ticket"], form.cleaned_data["phone_last4"])
            if complaint is not None:
                _remember(request, complaint.ticket)
                return redirect("complaints:ticket", ticket=complaint.ticket)
            form.add_error(
                None,
                _(
                    "We could not find a report with that ticket number and those phone digits. "
                    "Check both and try again."
                ),
            )
    return render(request, "complaints/track.html", {"form": form})


def _ticket_page(request: HttpRequest, complaint, comment_form: CommentForm | None = None) -> HttpResponse:
    return render(
        request,
        "complaints/ticket.html",
        {
            "complaint": complaint,
            "timeline": queries.public_timeline(complaint),
            "photos": complaint.photos.all(),
            "comment_form": comment_form or CommentForm(),
            "rating_form": RatingForm(),
        },
        status=400 if comment_form else 200,
    )


def ticket(request: HttpRequest, ticket: str) -> HttpResponse:
    return _ticket_page(request, visible_complaint(request, ticket))


@require_POST
def comment(request: HttpRequest, ticket: str) -> HttpResponse:
    complaint = visible_complaint(request, ticket)
    if _comment_limited(request, complaint):
        return _too_many(request)
    # Knowing the room first means photos that cannot fit are refused without being decoded.
    form = CommentForm(request.POST, request.FILES, room=filing.photo_room(complaint))
    if not form.is_valid():
        return _ticket_page(request, complaint, comment_form=form)
    try:
        filing.add_reporter_comment(complaint.pk, form.cleaned_data["text"], form.cleaned_data["photos"])
    except ReporterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you, we have added it to your report."))
    return redirect("complaints:ticket", ticket=complaint.ticket)


@require_POST
def rate(request: HttpRequest, ticket: str) -> HttpResponse:
    complaint = visible_complaint(request, ticket)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose from 1 to 5 stars."))
        return redirect("complaints:ticket", ticket=complaint.ticket)
    try:
        filing.rate(complaint.pk, form.cleaned_data["rating"], form.cleaned_data["comment"])
    except ReporterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you for rating our service."))
    return redirect("complaints:ticket", ticket=complaint.ticket)


def photo(request: HttpRequest, pk: int) -> FileResponse:
    return _photo_file(request, pk, thumbnail=False)


def photo_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    return _photo_file(request, pk, thumbnail=True)


def _photo_file(request: HttpRequest, pk: int, *, thumbnail: bool) -> FileResponse:
    """Photos are personal data: only the reporter's browser, the customer and staff may see them."""
    item = get_object_or_404(ComplaintPhoto.objects.select_related("complaint"), pk=pk)
    user = request.user
    staff_may_see = user.is_authenticated and user.is_staff and user.has_perm("complaints.view_complaint")
    if not (staff_may_see and second_factor.satisfied(user)):
        visible_complaint(request, item.complaint.ticket)
    stored = item.thumbnail if thumbnail and item.thumbnail else item.image
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
