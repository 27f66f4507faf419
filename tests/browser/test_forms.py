"""A refused form puts the keyboard and screen-reader focus on its error summary."""

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_error_summary_takes_focus_after_a_refused_report(page):
    page.goto(reverse("complaints:new"))
    page.locator("form.report-form button[type=submit]").click()
    page.wait_for_selector("[data-error-summary]")
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')") is True
