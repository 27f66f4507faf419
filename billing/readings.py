"""Meter readings: recording a month of readings (from the field readers' CSV or anywhere else), usage,
flags for implausible readings, and the high-usage (possible leak) warning."""

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ServiceConnection, User
from accounts.outbox import notify
from accounts.recipients import Kind, absolute_url, dedupe_key, recipients
from accounts.text import fold
from billing.models import Bill, BillDispute, MeterReading, ReadingCorrection
from billing.periods import add_months, parse_period

REQUIRED_COLUMNS = ("account_number", "period", "reading", "read_on")
CHUNK = 500
HIGH_USAGE_FACTOR = 1.5
HIGH_USAGE_MIN_EXTRA = 10
HIGH_USAGE_KEY = "billing:high-usage"


@dataclass(frozen=True)
class ReadingInput:
    line: int
    account_number: str
    period: date
    reading: int
    read_on: date
    source: str = MeterReading.Source.FIELD


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    recomputed: int = 0
    warned: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated


def _parse_row(line: int, row: dict[str, str], today: date) -> ReadingInput | str:
    # Folded first: a spreadsheet may hold full-width or superscript digits, which int() refuses.
    account = fold(row.get("account_number") or "").strip()
    if not (account.isascii() and account.isdigit()):
        return _("the account number must be digits only")
    try:
        period = parse_period(row.get("period") or "")
    except ValueError:
        return _("the period must be written as YYYY-MM")
    raw = fold(row.get("reading") or "").strip()
    if not (raw.isascii() and raw.isdigit()):
        return _("the meter reading must be a whole number of m³, zero or more")
    try:
        read_on = datetime.strptime((row.get("read_on") or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return _("the read date must be written as YYYY-MM-DD")
    if read_on > today:
        return _("the read date is in the future")
    source = (row.get("source") or MeterReading.Source.FIELD).strip().lower()
    if source not in MeterReading.Source.values:
        return _("the source must be one of: %(choices)s") % {"choices": ", ".join(MeterReading.Source.values)}
    return ReadingInput(line, account, period, int(raw), read_on, source)


def parse_csv(data: bytes) -> tuple[list[ReadingInput], list[tuple[int, str]]]:
    """Rows of a field readers' CSV (header: account_number, period, reading, read_on[, source]).

    Returns the good rows and (line number, reason) for every bad one; line 1 is the header.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [(0, _("The file is not a UTF-8 CSV file."))]
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        return [], [(1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})]
    reader.fieldnames = header
    good: list[ReadingInput] = []
    bad: list[tuple[int, str]] = []
    seen: dict[tuple[str, date], int] = {}
    today = timezone.localdate()
    try:
        for row in reader:
            line = reader.line_num
            parsed = _parse_row(line, row, today)
            if isinstance(parsed, str):
                bad.append((line, parsed))
                continue
            key = (parsed.account_number, parsed.period)
            if key in seen:
                bad.append(
                    (line, _("the same connection and period already appear on line %(line)s") % {"line": seen[key]})
                )
                continue
            seen[key] = line
            good.append(parsed)
    except csv.Error as exc:
        bad.append((reader.line_num, _("unreadable CSV: %(error)s") % {"error": exc}))
    return good, bad


def usage_between(previous: int | None, current: int) -> tuple[int | None, str]:
    """Usage in m³ and, when it cannot be trusted, why the reading needs review."""
    if previous is None:
        return None, _("no previous reading to compare with")
    if current < previous:
        return None, _("lower than the previous reading (%(previous)s m³): meter replaced or typo?") % {
            "previous": previous
        }
    return current - previous, ""


def is_high_usage(usage: int, usual: float | None) -> bool:
    """Far above the usual: more than 1.5× the three-month average and at least 10 m³ more."""
    return usual is not None and usage > HIGH_USAGE_FACTOR * usual and usage - usual >= HIGH_USAGE_MIN_EXTRA


def _context(
    inputs: list[ReadingInput],
) -> tuple[dict[str, ServiceConnection], dict[int, dict[date, MeterReading]], set[tuple[int, date]]]:
    """Connections by number, earlier readings and billed periods for a chunk, in three queries."""
    numbers = {item.account_number for item in inputs}
    connections = {
        c.account_number: c
        for c in ServiceConnection.objects.filter(account_number__in=numbers).select_related("customer")
    }
    ids = [c.pk for c in connections.values()]
    earliest = add_months(min(item.period for item in inputs), -4)
    history: dict[int, dict[date, MeterReading]] = defaultdict(dict)
    for reading in MeterReading.objects.filter(connection_id__in=ids, period__gte=earliest):
        history[reading.connection_id][reading.period] = reading
    # From the earliest period on, not just the chunk's periods: a correction also looks at the month after.
    billed = set(
        Bill.objects.filter(connection_id__in=ids, period__gte=min(i.period for i in inputs)).values_list(
            "connection_id", "period"
        )
    )
    return connections, history, billed


def _previous(connection: ServiceConnection, period: date, history: dict[date, MeterReading]) -> int | None:
    earlier = [p for p in history if p < period]
    if earlier:
        return history[max(earlier)].reading
    latest = connection.readings.filter(period__lt=period).order_by("-period").first()
    return latest.reading if latest else None


def _following(period: date, history: dict[date, MeterReading]) -> MeterReading | None:
    """The next later reading: its usage was computed from this period's reading."""
    later = [p for p in history if p > period]
    return history[min(later)] if later else None


def _recompute(following: MeterReading, previous: int) -> None:
    usage, reason = usage_between(previous, following.reading)
    following.previous_reading, following.usage, following.flagged, following.flag_reason = (
        previous,
        usage,
        bool(reason),
        reason,
    )
    following.save(update_fields=["previous_reading", "usage", "flagged", "flag_reason"])


def usual_usage(period: date, history: dict[date, MeterReading]) -> float | None:
    """Average usage of the three months before `period` among `history` (period → reading), for the high-usage
    rule; None without any."""
    usages = [
        usage
        for p in (add_months(period, -n) for n in (1, 2, 3))
        if p in history and (usage := history[p].usage) is not None
    ]
    return sum(usages) / len(usages) if usages else None


def record_readings(inputs: list[ReadingInput], progress: Callable[[int], None] | None = None) -> ImportResult:
    """Store readings, computing usage and flags; a re-run changes nothing and creates no duplicate.

    A reading that differs from the stored one replaces it unless the period is already billed (then
    the row is refused). The next later reading's usage, computed from the replaced one, is recomputed
    while its period is unbilled; once billed, the new reading is flagged for review instead. A reading far
    above usual usage warns the customer of a possible leak, once per connection and period.
    """
    result = ImportResult()
    ordered = sorted(inputs, key=lambda item: item.period)  # earlier months first: they are later ones' baseline
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        with transaction.atomic():
            connections, history, billed = _context(chunk)
            for item in chunk:
                _record_one(item, connections, history, billed, result)
        if progress is not None:
            progress(start + len(chunk))  # rows handled so far, after each committed chunk
    result.errors.sort()
    return result


def _record_one(
    item: ReadingInput,
    connections: dict[str, ServiceConnection],
    history: dict[int, dict[date, MeterReading]],
    billed: set[tuple[int, date]],
    result: ImportResult,
) -> None:
    connection = connections.get(item.account_number)
    if connection is None:
        result.errors.append((item.line, _("unknown account number %(number)s") % {"number": item.account_number}))
        return
    readings = history[connection.pk]
    existing = readings.get(item.period)
    if existing and existing.reading == item.reading and existing.read_on == item.read_on:
        result.unchanged += 1
        return
    if (connection.pk, item.period) in billed:
        result.errors.append((item.line, _("the bill of this period has been issued already; the reading stays")))
        return
    previous = _previous(connection, item.period, readings)
    usage, reason = usage_between(previous, item.reading)
    following = _following(item.period, readings)
    if following is not None and following.previous_reading == item.reading:
        following = None  # its usage stands
    if following is not None and (connection.pk, following.period) in billed:
        # The later bill was computed from the old reading: changing it silently would make that bill wrong
        # without anyone noticing, so billing staff decide (credit note, corrected bill) before this is billed.
        usage, reason = (
            None,
            _("the bill of %(period)s was computed from the earlier reading: check it")
            % {"period": f"{following.period:%Y-%m}"},
        )
        following = None
    reading = existing or MeterReading(connection=connection, period=item.period)
    reading.reading, reading.previous_reading, reading.usage = item.reading, previous, usage
    reading.read_on, reading.source, reading.flagged, reading.flag_reason = (
        item.read_on,
        item.source,
        bool(reason),
        reason,
    )
    reading.save()
    readings[item.period] = reading
    if following is not None:
        _recompute(following, item.reading)
        result.recomputed += 1
    if existing:
        result.updated += 1
    else:
        result.created += 1
    if reason:
        result.flagged += 1
    elif usage is not None and is_high_usage(usage, usual_usage(item.period, readings)):
        result.warned += _warn_high_usage(connection, reading)


def _warn_high_usage(connection: ServiceConnection, reading: MeterReading) -> int:
    context = {
        "account_number": connection.account_number,
        "period": reading.period.isoformat(),
        "usage": reading.usage,
        "site_url": absolute_url("billing:connection", connection.account_number),
    }
    sent = 0
    for recipient in recipients(connection, Kind.BILLS):
        key = dedupe_key(HIGH_USAGE_KEY, connection.pk, f"{reading.period:%Y-%m}", recipient=recipient)
        sent += bool(notify(recipient, "billing/high_usage", context, key))
    return sent


def previous_stand(connection: ServiceConnection, period: date, reading: MeterReading | None) -> int | None:
    """The stand a corrected reading of `period` is compared with: the one its usage was computed from, else the
    latest earlier reading."""
    if reading is not None and reading.previous_reading is not None:
        return reading.previous_reading
    earlier = connection.readings.filter(period__lt=period).order_by("-period").first()
    return earlier.reading if earlier else None


def correct_stand(
    connection: ServiceConnection, period: date, new_reading: int, *, by: User | None, dispute: BillDispute | None
) -> MeterReading:
    """Billing staff set the stand of a billed period after checking it (a questioned bill); call in a transaction.

    The stand it had, if any, stays on record as a ReadingCorrection. The next month's usage, computed from the
    old stand, is recomputed while that month is unbilled; once billed, that reading is flagged for review.
    Raises ValueError (a message for staff) when the stand gives no usage: lower than the previous one, or
    no previous reading at all.
    """
    existing = MeterReading.objects.select_for_update(no_key=True).filter(connection=connection, period=period).first()
    previous = previous_stand(connection, period, existing)
    usage, reason = usage_between(previous, new_reading)
    if usage is None:
        raise ValueError(reason)
    old_reading, old_usage = (existing.reading, existing.usage) if existing else (None, None)
    reading = existing or MeterReading(connection=connection, period=period, read_on=timezone.localdate())
    reading.reading, reading.previous_reading, reading.usage = new_reading, previous, usage
    reading.source, reading.flagged, reading.flag_reason = MeterReading.Source.FIELD, False, ""
    reading.save()
    ReadingCorrection.objects.create(
        reading=reading,
        dispute=dispute,
        old_reading=old_reading,
        new_reading=new_reading,
        old_usage=old_usage,
        new_usage=usage,
        corrected_by=by,
    )
    following = connection.readings.filter(period__gt=period).order_by("period").first()
    if following is not None and following.previous_reading != new_reading:
        if Bill.objects.filter(connection=connection, period=following.period).exists():
            following.flagged = True
            following.flag_reason = _("the reading of %(period)s was corrected after this one was billed: check it") % {
                "period": f"{period:%Y-%m}"
            }
            following.save(update_fields=["flagged", "flag_reason"])
        else:
            _recompute(following, new_reading)
    return reading
