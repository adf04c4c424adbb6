"""The audit log in the admin site: administrators read it; nobody adds, changes or deletes."""

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "role", "organisation", "action", "object_type", "object_id", "case_id", "address")
    list_filter = ("action", "role")
    search_fields = ("organisation", "object_id", "user__username")
    date_hierarchy = "at"
    list_select_related = ("user",)
    actions = None
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        user = request.user
        return user.is_active and (user.is_superuser or user.role == "admin")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
