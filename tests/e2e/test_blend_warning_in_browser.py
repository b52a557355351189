"""In Debian's Chromium: log in, derive a profile, make it blended, see the warning."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require
from tests.orgs.factories import PASSWORD, builtin, make_organisation, owner_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path(os.environ.get("VETTA_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture
def page(live_server) -> Iterator[object]:
    require(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a
    # thread with a running loop, so every database step happens before it starts or after it
    # ends. The live server answers from its own thread, which has no loop.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


@pytest.fixture
def username() -> str:
    builtin("classical_ml")
    return owner_of(make_organisation("Acme Hiring")).user.username


def test_a_hiring_manager_derives_a_profile_makes_it_blended_and_sees_the_warning(
    username: str, page
) -> None:
    from playwright.sync_api import expect

    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme Hiring")

    page.get_by_role("link", name="Role profiles").click()
    page.get_by_role("link", name="Derive from Classical ML engineer").click()
    page.get_by_label("Name of your role profile").fill("ML engineer with RAG")
    page.get_by_role("button", name="Derive").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Edit ML engineer with RAG")
    expect(page.locator("#blend-ok")).to_be_visible()
    page.get_by_label("RAG and vector databases", exact=True).select_option("required")
    page.get_by_role("button", name="Save").click()

    warning = page.get_by_role("region", name="This profile blends role contexts")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(
        "rag_vector_databases required — only llm_genai requires it; "
        "classical_ml: not_needed, research: not_needed"
    )
    expect(warning).to_contain_text(
        "Split into a Classical ML role and an LLM / Generative AI role"
    )

    page.get_by_role("link", name="Job description").click()
    expect(page.get_by_role("heading", name="Required skills")).to_be_visible()
    expect(page.locator("article")).to_contain_text("RAG and vector databases")
