from django.conf import settings


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
