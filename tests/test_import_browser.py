"""Staff import in the running app: sign in, upload, preview, session isolation, commit."""

from __future__ import annotations

import re

import pytest
from conftest import STAFF_PASSWORD, STAFF_USER

from geodata.register import load_register
from geodata.settings import ROOT_DIR

pytestmark = pytest.mark.browser

SAMPLE = ROOT_DIR / "tests" / "data" / "ingest" / "gbk.csv"


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text()


def _selected(page) -> int:
    page.wait_for_selector("[data-testid='stMetric']")
    return int(_metric(page, "当前筛选项目数").replace(",", ""))


def test_staff_import_is_private_until_committed(browser, staff_app_url, artifacts):
    n = len(load_register())
    staff = browser.new_context(viewport={"width": 1400, "height": 1000})
    staff.set_default_timeout(60_000)
    page = staff.new_page()
    page.goto(staff_app_url)
    assert _selected(page) == n
    # planners see no import page
    assert page.get_by_text("数据导入").count() == 0
    page.get_by_text("工作人员登录").click()
    page.get_by_label("用户名").fill(STAFF_USER)
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="数据导入").click()
    page.wait_for_selector("input[type='file']", state="attached")
    page.locator("input[type='file']").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="校验").click()
    page.wait_for_selector("[data-testid='stMetric']:has-text('接受')", timeout=60_000)
    accepted = int(_metric(page, "接受"))
    assert accepted >= 1
    assert int(_metric(page, "读取行数")) >= accepted
    page.screenshot(path=str(artifacts / "import_preview.png"), full_page=True)

    # another session does not see the uncommitted upload
    other = browser.new_context().new_page()
    other.set_default_timeout(60_000)
    other.goto(staff_app_url)
    assert _selected(other) == n

    page.get_by_role("button", name="确认入库").click()
    page.wait_for_selector("text=/已保存为第 \\d+ 版/", timeout=60_000)
    assert re.search(r"已保存为第 \d+ 版", page.content())

    other.reload()
    assert _selected(other) == n + accepted
    staff.close()
    other.context.close()
