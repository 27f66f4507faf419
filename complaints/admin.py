from django.contrib import admin

from complaints.models import Category, Complaint, Outage


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "respond_hours",
        "resolve_hours",
        "working_hours_only",
        "outage_related",
        "is_active",
    ]
    list_editable = ["respond_hours", "resolve_hours", "working_hours_only", "is_active"]
    ordering = ["sort_order"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only: tickets change only through the staff workflow, which checks roles and writes the timeline."""

    list_display = ["ticket", "category", "status", "area", "assignee", "created_at", "due_at"]
    list_filter = ["status", "category"]
    search_fields = ["ticket"]
    list_select_related = ["category", "area", "assignee"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_at", "expected_end_at"]
    list_filter = ["status", "kind"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
