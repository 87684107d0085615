"""Every address the site cites, where each is used, and one visit to an address.

A content model declares the fields that hold its links (`link_check_fields`, see
site_project/models.py); a URLField holds one address, any other text field is searched for
http(s) addresses. Visits use the standard library's urllib: it has per-request timeouts, HEAD
and a hook to stop automatic redirects so each hop can be recorded, and the project needs no
new dependency for it.
"""

import http.client
import re
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

USER_AGENT = "MagnesiumSiteLinkChecker/1.0 (reference checker; checks that cited sources still resolve)"
MAX_REDIRECTS = 10
# HEAD answers that mean "ask me with GET": method not allowed, forbidden (some servers refuse
# HEAD only), not implemented.
HEAD_REFUSED = {403, 405, 501}
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"')\]]+")


def linked_models():
    """(model, [field, ...]) for every model that declares `link_check_fields`."""
    found = []
    for model in apps.get_models():
        names = vars(model).get("link_check_fields")  # not inherited by history models
        if names:
            found.append((model, [model._meta.get_field(name) for name in names]))
    return found


def urls_in(field, value):
    """The addresses a field's value holds: a URLField's whole value, else each http(s) address in the text."""
    value = (value or "").strip()
    if not value:
        return []
    if isinstance(field, models.URLField):
        return [value]
    return [url.rstrip(".,;:") for url in URL_IN_TEXT.findall(value)]


def all_urls():
    """Every address cited anywhere on the site (published or not), each once, sorted."""
    urls = set()
    for model, fields in linked_models():
        for row in model._default_manager.order_by().values_list(*(f.name for f in fields)):
            for f, value in zip(fields, row, strict=True):
                urls.update(urls_in(f, value))
    return sorted(urls)


@dataclass
class Usage:
    obj: models.Model
    field: models.Field

    @property
    def page(self):
        """What an editor opens to change the link: the parent for a row edited inline (a
        reference: its article or form, named by the model's `link_check_parent`), else the row."""
        parent = getattr(type(self.obj), "link_check_parent", None)
        return getattr(self.obj, parent) if parent else self.obj

    @property
    def admin_url(self):
        page = self.page
        try:
            return reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])
        except NoReverseMatch:
            return ""

    @property
    def label(self):
        page = self.page
        where = f"{page._meta.verbose_name.capitalize()}: {page}"
        if page is not self.obj:
            where += f" ({self.obj._meta.verbose_name} “{self.obj}”)"
        return where


def usages(urls):
    """{url: [Usage, ...]} for the given addresses: one query per model that declares links."""
    urls = set(urls)
    found = {url: [] for url in urls}
    if not urls:
        return found
    for model, fields in linked_models():
        condition = Q()
        for f in fields:
            if isinstance(f, models.URLField):
                condition |= Q(**{f"{f.name}__in": urls})
            else:
                for url in urls:
                    condition |= Q(**{f"{f.name}__contains": url})
        queryset = model._default_manager.filter(condition)
        parent = getattr(model, "link_check_parent", None)
        if parent:
            queryset = queryset.select_related(parent)
        for obj in queryset:
            cited = set()  # an address in two fields of one row (a food's link and its source text) counts once
            for f in fields:
                for url in urls_in(f, f.value_from_object(obj)):
                    if url in found and url not in cited:
                        cited.add(url)
                        found[url].append(Usage(obj, f))
    return found


@dataclass
class Result:
    url: str
    status_code: int | None = None
    final_url: str = ""
    redirect_chain: list = field(default_factory=list)
    method: str = "HEAD"
    error: str = ""

    @property
    def outcome(self):
        if self.error or self.status_code is None or self.status_code >= 400:
            return "broken"
        return "redirected" if self.redirect_chain else "ok"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # answer the 3xx as it is; visit() follows it and records the hop


OPENER = urllib.request.build_opener(NoRedirects)


class Refused(Exception):
    """The server dropped the connection: worth retrying with GET when it was a HEAD."""


def visit(url, timeout=10.0):
    """Visit one address: HEAD first, GET when the server refuses HEAD. Never raises."""
    result = follow(url, "HEAD", timeout)
    if result.status_code in HEAD_REFUSED or result.error.startswith("Connection reset"):
        result = follow(url, "GET", timeout)
    return result


def follow(url, method, timeout):
    result = Result(url=url, method=method)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        result.final_url = current
        try:
            status, location = request(current, method, timeout)
        except Exception as error:  # every failure is a finding, never a crash
            result.error = describe(error, timeout)
            return result
        result.status_code = status
        if 300 <= status < 400 and location:
            target = urllib.parse.urljoin(current, location)
            result.redirect_chain.append({"url": current, "status": status, "location": target})
            current = target
            continue
        return result
    result.error = f"More than {MAX_REDIRECTS} redirects"
    return result


def request(url, method, timeout):
    """(status, Location header) of one request, without following redirects."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in ("http", "https"):
        raise ValueError(f"Not a web address (scheme “{scheme}”)")
    req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with OPENER.open(req, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)  # the start of the body proves the page answers; the rest is not needed
            return response.status, None
    except urllib.error.HTTPError as answer:  # 3xx (not followed) and 4xx/5xx are answers, not failures
        with answer:
            return answer.code, answer.headers.get("Location")


def describe(error, timeout):
    """Plain words for why an address gave no answer."""
    if isinstance(error, urllib.error.URLError) and not isinstance(error, urllib.error.HTTPError):
        error = error.reason if isinstance(error.reason, BaseException) else error
    if isinstance(error, TimeoutError | socket.timeout):
        return f"Timed out (no answer within {timeout:g} s)"
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return f"TLS error: {getattr(error, 'reason', None) or error}"
    if isinstance(error, socket.gaierror):
        return f"DNS lookup failed: {error.strerror or error}"
    if isinstance(error, ConnectionRefusedError):
        return "Connection refused"
    if isinstance(error, ConnectionResetError | http.client.RemoteDisconnected):
        return "Connection reset by the server"
    if isinstance(error, ValueError):
        return str(error)
    if isinstance(error, urllib.error.URLError):
        return f"Could not connect: {error.reason}"
    return f"{type(error).__name__}: {error}"
