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
