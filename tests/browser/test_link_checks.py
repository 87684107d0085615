"""The "Link checks" admin and the reference inline's link status in a real browser: strict CSP,
no axe-core finding at any impact."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from site_project.models import LinkCheck
from tests.browser.conftest import assert_accessible, assert_strict_csp, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_link_checks_list_detail_and_the_reference_inline(editor_page):
    page = editor_page
    article = Article.objects.get()
    broken, fine = article.references.exclude(url="")[:2]
    now = timezone.now()
    LinkCheck.objects.create(url=broken.url, outcome="broken", status_code=404, checked_at=now, method="HEAD")
    LinkCheck.objects.create(
        url=fine.url,
        outcome="redirected",
        status_code=200,
        final_url=fine.url + "new/",
        redirect_chain=[{"url": fine.url, "status": 301, "location": fine.url + "new/"}],
        checked_at=now,
        method="HEAD",
    )

    response = page.goto("/admin/site_project/linkcheck/")
    assert_strict_csp(response)
    rows = page.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Broken: 404")
    expect(rows.first.get_by_role("link", name=f"Article: {article.title}", exact=False)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "admin-link-checks")

    page.get_by_role("link", name="Redirected").first.click()  # the outcome filter
    expect(rows).to_have_count(1)
    rows.first.locator("th a").click()
    expect(page.get_by_text("301", exact=False).first).to_be_visible()
    assert_accessible(page)

    page.goto(f"/admin/articles/article/{article.pk}/change/")
    expect(page.locator("#references-group")).to_contain_text("Broken: 404")
    expect(page.locator(".field-reading_grade")).to_contain_text("Grade")
    assert_accessible(page, "#references-group")
    assert page.violations == []
