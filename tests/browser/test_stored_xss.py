"""Stored XSS in real Chromium: pages whose every field holds a payload run no script."""

import pytest

from articles.models import Article
from supplements.models import SupplementForm
from tests.stored_xss import PAYLOADS, poison_everything

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("payload", [PAYLOADS[1], PAYLOADS[5]])
def test_poisoned_pages_run_no_script(page, seeded, payload):
    poison_everything(payload)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    article = Article.objects.published().first()
    form = SupplementForm.objects.published().first()
    for url in (article.get_absolute_url(), form.get_absolute_url(), "/foods/?q=1", "/supplements/", "/"):
        page.goto(url)
        page.wait_for_load_state("load")
        # Open every disclosure and follow nothing: a payload hidden in a <details> must stay text too.
        for summary in page.locator("summary").all()[:5]:
            summary.click()
        assert dialogs == [], f"a script ran on {url}: {dialogs}"
    # The page fixture also fails the test on any console error, so a script the CSP had to
    # block (which would mean the escaping failed) counts as a failure too.
