"""Sign-in and escaped text in the running app, as a browser shows them."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from conftest import STAFF_PASSWORD, STAFF_USER, wait_idle

from geodata.text import WORD_JOINER

pytestmark = pytest.mark.browser

LINK = "[点此重新登录](https://evil.example)"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, user: str, password: str) -> None:
    page.get_by_label("用户名").fill(user)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def test_a_wrong_password_is_answered_without_the_map_page(page, staff_app_url, artifacts):
    page.goto(staff_app_url)
    page.wait_for_selector("[data-testid='stMetric']")
    wait_idle(page)
    page.get_by_text("工作人员登录").click()
    _sign_in(page, STAFF_USER, "wrong-pass")
    page.get_by_text("用户名或密码错误").wait_for()
    page.get_by_role("button", name="返回地图").wait_for()
    assert page.locator("[data-testid='stMetric']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(artifacts / "signin-refused.png"), full_page=True)
    page.get_by_role("button", name="返回地图").click()
    page.wait_for_selector("[data-testid='stMetric']")
    # the right password then signs in and opens the staff pages
    _sign_in(page, STAFF_USER, STAFF_PASSWORD)
    page.get_by_text("数据导入").first.wait_for()
    page.get_by_text("已登录： 王工").wait_for()


def test_a_link_in_the_search_is_shown_as_text(page, staff_app_url, artifacts):
    page.goto(f"{staff_app_url}/?q={quote(LINK)}")
    page.get_by_role("tab", name="导出").click()
    caption = page.locator("[data-testid='stCaptionContainer']", has_text="副标题")
    caption.first.wait_for()
    # the text as typed (but for invisible word joiners) and no link anywhere
    assert LINK in caption.first.inner_text().replace(WORD_JOINER, "")
    assert page.locator("a[href*='evil.example']").count() == 0
    page.screenshot(path=str(artifacts / "signin-escaped-caption.png"), full_page=True)
