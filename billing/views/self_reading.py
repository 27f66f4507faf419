"""Reading your own meter: a signed-in customer for a linked connection, or anyone with the account number and
the holder's proof. Two steps that work without JavaScript: the stand and its photo (stored as a draft), then the
preview of what it means (usage and the bill, block by block) with the confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import second_factor
from accounts.services import connections_of
from billing import self_readings
from billing.models import SelfReading
from billing.self_reading_forms import ConfirmForm, PublicStandForm, StandForm
from billing.self_readings import NeedsCheck, SelfReadingRefused

SESSION_KEY = "billing.self_readings"  # the stands a signed-out visitor sent from this browser


def _remember(request: HttpRequest, item: SelfReading) -> None:
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, [])[-9:], item.pk]


def _visible(request: HttpRequest, pk: int) -> SelfReading:
    """The customer's own stand (any of their connections), or one this browser sent signed out; 404 otherwise."""
    items = SelfReading.objects.select_related("connection__customer_class")
    if request.user.is_authenticated and not request.user.is_staff:
        mine = items.filter(connection__in=connections_of(request.user).values("pk"), pk=pk).first()
        if mine is not None:
            return mine
    if pk in request.session.get(SESSION_KEY, []):
        return get_object_or_404(items, pk=pk)
    raise Http404


def _start(request: HttpRequest, connection, form) -> HttpResponse | None:
    try:
        draft = self_readings.start(
            connection,
            form.cleaned_data["reading"],
            form.cleaned_data["photo"],
            form.cleaned_data.get("photo_taken_at"),
            user=request.user,
        )
    except SelfReadingRefused as refused:
        form.add_error(None, str(refused))
        return None
    if not request.user.is_authenticated:
        _remember(request, draft)
    return redirect("billing:self-reading", draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, account_number: str) -> HttpResponse:
    connection = get_object_or_404(connections_of(request.user), account_number=account_number)
    if request.htmx and request.method == "GET":
        return _live_preview(request, connection)
    form = StandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and (done := _start(request, connection, form)):
        return done
    form.fields["reading"].widget.attrs.update(
        {
            "hx-get": request.path,
            "hx-trigger": "input changed delay:400ms",
            "hx-target": "#stand-preview",
            "hx-sync": "this:replace",
        }
    )
    return _form_page(request, form, connection)


def _live_preview(request: HttpRequest, connection) -> HttpResponse:
    """What the stand typed so far would mean, while the customer types it (the full page shows it after sending
    the photo, for those without JavaScript)."""
    typed = request.GET.get("reading", "").strip()
    period = self_readings.window_period(timezone.localdate())
    if period is None or not (typed.isascii() and typed.isdigit()) or len(typed) > 8:
        return HttpResponse("")
    assessment = self_readings.assess(connection, period, int(typed))
    return render(request, "billing/self_reading_preview.html", {"assessment": assessment})


@require_http_methods(["GET", "POST"])
def new_public(request: HttpRequest) -> HttpResponse:
    """The same for a visitor who is not signed in: the account number and the holder's proof, with a lockout of
    its own against guessing."""
    form = PublicStandForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            connection = self_readings.proven_connection(
                request, form.cleaned_data["account_number"], form.cleaned_data["proof"]
            )
        except SelfReadingRefused as refused:
            form.add_error(None, str(refused))
        else:
            if done := _start(request, connection, form):
                return done
    return _form_page(request, form, None)


def _form_page(request: HttpRequest, form, connection) -> HttpResponse:
    period = self_readings.window_period(timezone.localdate())
    context = {"form": form, "connection": connection, "period": period}
    if period is None:
        context["closed"] = self_readings.window_closed_message()
    status = 400 if form.is_bound else 200
    return render(request, "billing/self_reading_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's preview and confirmation; once sent, where the stand stands (waiting, accepted, rejected)."""
    item = _visible(request, pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and item.status == SelfReading.Status.DRAFT and form.is_valid():
        try:
            self_readings.confirm(item.pk, checked=form.cleaned_data["checked"])
        except NeedsCheck as needed:
            form.add_error("checked", str(needed))
        except SelfReadingRefused as refused:
            messages.error(request, str(refused))
            return redirect("billing:self-reading", item.pk)
        else:
            messages.success(request, _("Thank you! Your meter stand was sent; billing staff will check it."))
            return redirect("billing:self-reading", item.pk)
    context = {"item": item, "form": form}
    if item.status == SelfReading.Status.DRAFT:
        context["assessment"] = self_readings.assess(item.connection, item.period, item.reading)
    return render(request, "billing/self_reading.html", context, status=400 if form.errors else 200)


@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """The meter photo: for its sender, the connection's holders and billing staff."""
    user = request.user
    if user.is_authenticated and user.is_staff:
        if not (user.has_perm("billing.view_selfreading") and second_factor.satisfied(user)):
            raise Http404
        item = get_object_or_404(SelfReading, pk=pk)
    else:
        item = _visible(request, pk)
    try:
        handle = item.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Drop a draft to start again (a wrong photo, a typo)."""
    item = _visible(request, pk)
    if item.status == SelfReading.Status.DRAFT:
        item.photo.delete(save=False)
        item.delete()
    if request.user.is_authenticated and not request.user.is_staff:
        return redirect("billing:self-reading-new", item.connection.account_number)
    return redirect("billing:self-reading-public")
