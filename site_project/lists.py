"""What the list views answer an htmx request with (django-htmx sets `request.htmx`)."""


def fragment_or_page(request, template, partial):
    """The partial for an htmx request; the whole page otherwise, and for a history restore."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#{partial}"
    return template
