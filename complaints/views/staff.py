"""The staff queue and ticket page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.permissions import staff_required
from complaints.models import Complaint
from complaints.services import queries, workflow
from complaints.services.workflow import Change, TransitionError
from complaints.staff_forms import BulkAssignForm, NoteForm, QueueFilterForm, TransitionForm, staff_choices

VIEW = "complaints.view_complaint"
PAGE_SIZE = 50
# What a queue row shows (and its service-level state needs): 50 whole tickets with their category, area and
# assignee cost more to load than the page's queries take to run.
QUEUE_COLUMNS = (
    "ticket",
    "status",
    "escalated",
    "due_at",
    "warn_at",
    "category__name",
    "category__name_en",
    "area__name",
    "assignee__full_name",
)


@staff_required(perm=VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    staff = staff_choices()
    filters = QueueFilterForm(request.GET or None, auto_id="filter_%s", staff=staff)
    tickets = queries.staff_queue(filters.filters(), request.user).only(*QUEUE_COLUMNS)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    _prepare_rows(page)
    context = {
        "filters": filters,
        "page": page,
        "bulk_form": BulkAssignForm(staff=staff),
        "can_assign": request.user.has_perm(workflow.TRIAGE) or request.user.has_perm(workflow.SUPERVISE),
        "query": request.GET.urlencode(),
    }
    template = "complaints/staff/queue.html#results" if request.htmx else "complaints/staff/queue.html"
    return render(request, template, context)


def _prepare_rows(page) -> None:
    """Each row's link and due time, worked out here: `{% url %}` and `|date` cost 20–40 µs a row in the template,
    where a page of 50 rows spent more on them than on its queries. Same output: the link is the ticket page's
    (one reversal, with a placeholder), the time `j M H:i` in the active language and time zone."""
    placeholder = "TICKET"
    link = reverse("complaints_staff:ticket", args=[placeholder])
    head, tail = link[: link.rindex(placeholder)], link[link.rindex(placeholder) + len(placeholder) :]
    for complaint in page:
        complaint.link = f"{head}{complaint.ticket}{tail}"
        due = timezone.localtime(complaint.due_at)
        complaint.due_label = f"{due.day} {MONTHS_3[due.month].title()} {due:%H:%M}"


@require_POST
@staff_required(perm=VIEW)
def bulk_assign(request: HttpRequest) -> HttpResponse:
    form = BulkAssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick at least one ticket and choose who takes them."))
    else:
        ids = [c.pk for c in form.cleaned_data["tickets"]]
        assigned, skipped = workflow.bulk_assign(ids, request.user, form.cleaned_data["assignee"])
        messages.success(request, _("%(count)d tickets assigned.") % {"count": assigned})
        if skipped:
            messages.warning(
                request, _("%(count)d tickets could not be assigned by you in their state.") % {"count": skipped}
            )
    query = request.POST.get("query", "")
    return redirect(reverse("complaints_staff:queue") + (f"?{query}" if query else ""))


def _ticket_context(request: HttpRequest, complaint: Complaint, **forms) -> dict:
    related = (
        Complaint.objects.filter(
            Q(pk=complaint.duplicate_of_id)
            | Q(duplicate_of=complaint)
            | Q(connection=complaint.connection_id, connection__isnull=False)
        )
        .exclude(pk=complaint.pk)
        .select_related("category")[:20]
    )
    return {
        "complaint": complaint,
        "timeline": complaint.events.select_related("actor"),
        "photos": complaint.photos.all(),
        "related": related,
        "transition_form": forms.get("transition_form")
        or TransitionForm(allowed=workflow.allowed_transitions(request.user, complaint)),
        "note_form": forms.get("note_form") or NoteForm(),
    }


def _get(ticket: str) -> Complaint:
    return get_object_or_404(
        Complaint.objects.select_related(
            "category",
            "area__parent",
            "assignee",
            "reporter",
            "outage",
            "duplicate_of",
            "connection__customer",
            "connection__area",
            "connection__customer_class",
        ),
        ticket=ticket,
    )


@staff_required(perm=VIEW)
def ticket(request: HttpRequest, ticket: str) -> HttpResponse:
    complaint = _get(ticket)
    return render(request, "complaints/staff/ticket.html", _ticket_context(request, complaint))


@require_POST
@staff_required(perm=VIEW)
def transition(request: HttpRequest, ticket: str) -> HttpResponse:
    complaint = _get(ticket)
    form = TransitionForm(request.POST, allowed=workflow.allowed_transitions(request.user, complaint))
    if form.is_valid():
        data = form.cleaned_data
        change = Change(
            to_status=data["to_status"],
            message=data["message"],
            assignee=data["assignee"],
            reason=data["reason"],
            duplicate_of=data["duplicate_of"],
        )
        try:
            workflow.transition(complaint.pk, request.user, change)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Ticket %(ticket)s updated.") % {"ticket": complaint.ticket})
            return redirect("complaints_staff:ticket", ticket=complaint.ticket)
    return render(
        request, "complaints/staff/ticket.html", _ticket_context(request, complaint, transition_form=form), status=400
    )


@require_POST
@staff_required(perm=VIEW)
def note(request: HttpRequest, ticket: str) -> HttpResponse:
    complaint = _get(ticket)
    form = NoteForm(request.POST)
    if form.is_valid():
        workflow.add_staff_note(
            complaint.pk, request.user, form.cleaned_data["text"], public=form.cleaned_data["public"]
        )
        messages.success(request, _("Note added."))
        return redirect("complaints_staff:ticket", ticket=complaint.ticket)
    return render(
        request, "complaints/staff/ticket.html", _ticket_context(request, complaint, note_form=form), status=400
    )
