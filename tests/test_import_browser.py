"""Staff import in the running app: sign in, upload, preview, session isolation, commit.

Then a monthly progress sheet through the same page (what the file holds: 月度进度).
"""

from __future__ import annotations

import re

import pytest
from conftest import STAFF_PASSWORD, STAFF_USER, wait_idle
from playwright.sync_api import TimeoutError as PlaywrightTimeout

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


def _validate(page, shown: str, *, tries: int = 5) -> None:
    """Press 校验 until the report shows.

    A press in the instant the upload's own rerun runs is dropped by the page
    (a person does not press that fast); checking twice is harmless.
    """
    for _ in range(tries):
        page.get_by_role("button", name="校验").click()
        try:
            page.wait_for_selector(shown, timeout=8_000)
            return
        except PlaywrightTimeout:
            continue
    page.wait_for_selector(shown, timeout=60_000)


def test_staff_import_is_private_until_committed(browser, staff_app_url, artifacts, tmp_path):
    n = len(load_register())
    staff = browser.new_context(viewport={"width": 1400, "height": 1000})
    staff.set_default_timeout(60_000)
    page = staff.new_page()
    page.goto(staff_app_url)
    assert _selected(page) == n
    # planners see no import page
    assert page.get_by_text("数据导入").count() == 0
    wait_idle(page)
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

    # monthly progress through the same page: one row matched, one refused with its candidate
    sheet = tmp_path / "progress.csv"
    sheet.write_text(
        "项目编号,项目名称,报告期,累计完成投资,形象进度\n"
        "CZ25-005,,2025-09,1.5,<b>主体完工</b>\n"
        "CZ25-999,后湾水库,2025-09,2,\n",
        encoding="utf-8",
    )
    page.locator("[data-testid='stRadio']").get_by_text("月度进度").click()
    page.wait_for_selector("[data-testid='stNumberInput']")
    # the page reruns after the switch and after the upload: act once each has landed
    page.wait_for_selector("[data-testid='stMetric']:has-text('接受')", state="detached")
    page.locator("input[type='file']").set_input_files(str(sheet))
    page.wait_for_selector("text=progress.csv")
    _validate(page, "text=将导入的行")
    assert (_metric(page, "接受"), _metric(page, "拒绝")) == ("1", "1")
    page.screenshot(path=str(artifacts / "import_progress_preview.png"), full_page=True)
    page.get_by_role("button", name="确认入库").click()
    page.wait_for_selector("text=/已保存为第 \\d+ 版/", timeout=60_000)
    staff.close()
    other.context.close()
