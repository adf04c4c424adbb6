"""The client's address, for django-axes and the audit log."""

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """Return the address of the client that sent ``request``.

    Without a proxy it is ``REMOTE_ADDR``. Behind ``TRUSTED_PROXY_COUNT`` proxies it is the
    address the outermost of them appended to X-Forwarded-For; anything to its left was written
    by the client and cannot be trusted.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None
