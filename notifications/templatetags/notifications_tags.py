"""Template tags of the notifications app: the unread count for the header badge."""

from django import template

from notifications.selectors import unread_count_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    """Return the number of unread notifications of the signed-in user (0 when signed out)."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count_for_user(user=user)
