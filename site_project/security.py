"""Security pieces that settings.py names: the client address for login rate limits and the
admin's own Content Security Policy, the Permissions-Policy header, one-line log records."""

import copy
import logging

from django.conf import settings


def client_ip(request):
    """The visitor's address for login rate limiting.

    Behind a reverse proxy (DJANGO_BEHIND_PROXY=true) every request comes from the proxy, so
    the address is the last entry of X-Forwarded-For: the one our proxy appended, which a
    client cannot forge (entries further left can be). Otherwise REMOTE_ADDR.
    """
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


class AdminContentSecurityPolicyMiddleware:
    """Give /admin/ responses settings.ADMIN_CSP instead of SECURE_CSP (why: see settings.py).

    Sits after Django's ContentSecurityPolicyMiddleware, so it marks the response on its way
    out before that middleware builds the header from the mark, the way the
    django.views.decorators.csp.csp_override decorator does for one view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and not hasattr(response, "_csp_config"):
            response._csp_config = settings.ADMIN_CSP
        return response


class PermissionsPolicyMiddleware:
    """Send settings.PERMISSIONS_POLICY on every response that has none. It sits above the page
    cache, so a page served from the cache carries it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class OneLineFormatter(logging.Formatter):
    """The message on one line, without the traceback. For records whose exception says
    nothing new, like a request with a Host header not in ALLOWED_HOSTS: a scanner sends
    thousands, and each was a 20-line traceback pointing into Django."""

    def format(self, record):
        record = copy.copy(record)  # other handlers still get the record as it was
        record.exc_info = record.exc_text = record.stack_info = None
        return super().format(record).replace("\n", "\\n")
