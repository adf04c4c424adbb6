"""Record sign-ins, failed sign-ins and sign-outs; start the absolute session clock."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.middleware import mark_session_started
from accounts.sessions import user_sessions_end
from audit.models import AuditAction
from audit.services import audit_record


@receiver(user_logged_in)
def on_logged_in(sender, request, user, **kwargs) -> None:
    mark_session_started(request)
    audit_record(action=AuditAction.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def on_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditAction.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only a name that matches a user is linked; the typed text itself is never stored.
    username = credentials.get("username", "")
    user = get_user_model().objects.filter(username=username).first()
    audit_record(action=AuditAction.SIGN_IN_FAILED, request=request, user=user)


@receiver(post_save, sender=get_user_model())
def on_user_saved(sender, instance, **kwargs) -> None:
    # A disabled account is signed out everywhere at once, not at its next request.
    if not instance.is_active:
        user_sessions_end(user=instance)
