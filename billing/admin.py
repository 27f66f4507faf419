"""Billing in the admin: tariffs (with validated blocks and fixed charges), readings, late-fee rules,
bills (read-only: a bill changes through services, never by hand) and bill runs; customers' own stands,
questioned bills and reading corrections are read-only too (they change only through their staff pages)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from billing.models import (
    Bill,
    BillDispute,
    BillLine,
    BillRun,
    LateFeeRule,
    MeterReading,
    ReadingCorrection,
    SelfReading,
    Tariff,
    TariffBlock,
    TariffFixedCharge,
)
from billing.payments.admin import ReadOnlyAdmin


class TariffBlockFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        blocks = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("from_m3") is not None
        ]
        validate_blocks([(b["from_m3"], b.get("to_m3")) for b in blocks])


def validate_blocks(blocks: list[tuple[int, int | None]]) -> None:
    """Blocks must start at 0, follow each other without gap or overlap, and only the last may be open."""
    if not blocks:
        raise ValidationError(_("A tariff needs at least one block."))
    blocks = sorted(blocks, key=lambda block: (block[0], float("inf") if block[1] is None else block[1]))
    expected = 0
    for index, (lower, upper) in enumerate(blocks):
        if lower != expected:
            raise ValidationError(
                _("Blocks must be contiguous from 0 m³: a block should start at %(m3)s m³.") % {"m3": expected}
            )
        if upper is None:
            if index != len(blocks) - 1:
                raise ValidationError(_("Only the last block may have no upper limit."))
            return
        if upper <= lower:
            raise ValidationError(_("A block must end above where it starts."))
        expected = upper
    raise ValidationError(_("The last block must have no upper limit, so every usage has a price."))


class TariffBlockInline(admin.TabularInline):
    model = TariffBlock
    formset = TariffBlockFormSet
    extra = 0


class TariffFixedChargeInline(admin.TabularInline):
    model = TariffFixedCharge
    extra = 0


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["customer_class", "effective_from", "minimum_usage", "admin_fee"]
    list_filter = ["customer_class"]
    inlines = [TariffBlockInline, TariffFixedChargeInline]


@admin.register(MeterReading)
class MeterReadingAdmin(admin.ModelAdmin):
    list_display = ["connection", "period", "reading", "usage", "source", "flagged"]
    list_filter = ["flagged", "source", "period"]
    search_fields = ["connection__account_number"]
    raw_id_fields = ["connection"]


@admin.register(LateFeeRule)
class LateFeeRuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "days_overdue", "amount", "active"]


class BillLineInline(admin.TabularInline):
    model = BillLine
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "description", "quantity", "unit_price", "amount", "late_fee_rule"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    list_display = ["connection", "period", "usage", "estimated", "total", "due_date", "status"]
    list_filter = ["status", "estimated", "period"]
    search_fields = ["connection__account_number"]
    list_select_related = ["connection"]
    inlines = [BillLineInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Bill._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(BillRun)
class BillRunAdmin(admin.ModelAdmin):
    list_display = ["period", "status", "created", "estimated", "flagged", "total_amount", "started_at", "finished_at"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in BillRun._meta.fields]


# Billing staff hold change_selfreading / change_billdispute for the review and answer pages, which go through
# billing/self_readings.py and billing/corrections.py (locks, messages, audit); the admin only shows the rows.


@admin.register(SelfReading)
class SelfReadingAdmin(ReadOnlyAdmin):
    list_display = ["connection", "period", "reading", "usage", "status", "submitted_at", "reviewed_by"]
    list_filter = ["status", "period"]
    search_fields = ["connection__account_number"]
    list_select_related = ["connection", "reviewed_by"]


@admin.register(BillDispute)
class BillDisputeAdmin(ReadOnlyAdmin):
    list_display = ["bill", "ticket", "opened_at", "outcome", "resolved_at", "resolved_by"]
    list_filter = ["outcome"]
    search_fields = ["ticket", "bill__connection__account_number"]
    list_select_related = ["bill", "resolved_by"]


@admin.register(ReadingCorrection)
class ReadingCorrectionAdmin(ReadOnlyAdmin):
    list_display = ["reading", "old_reading", "new_reading", "old_usage", "new_usage", "corrected_at", "corrected_by"]
    search_fields = ["reading__connection__account_number", "dispute__ticket"]
    list_select_related = ["reading", "corrected_by"]


from billing.partners.snap import admin as snap_admin  # noqa: E402, F401 (registers the SNAP records' admin)
