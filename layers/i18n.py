"""Labels shown on the map (and later in the app), in Chinese and English.

One table, :data:`LABELS`, maps a key to its ``(zh, en)`` pair; :func:`t`
looks a key up for a :class:`Lang`. Chinese is the default language.
"""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    """Language of the interface."""

    ZH = "zh"
    EN = "en"


LABELS: dict[str, tuple[str, str]] = {
    # map layers
    "layer_counties": ("县区界", "County boundaries"),
    "layer_choropleth": ("县区统计", "County statistics"),
    "legend_title": ("图例", "Legend"),
    "legend_approximate": ("空心：位置为县区级或市级", "Hollow: county- or city-level location"),
    "legend_cluster": ("圆圈数字：聚合的项目数", "Numbered bubble: clustered projects"),
    "metric_count": ("项目数", "Projects"),
    "metric_invest": ("总投资（亿元）", "Total investment (100M CNY)"),
    "all_categories": ("全部类别", "All categories"),
    "no_data": ("无", "None"),
    # print maps (page furniture)
    "print_legend": ("图例", "Legend"),
    "print_county_line": ("县区界线", "County boundary"),
    "print_other_counties": ("相邻县区", "Neighbouring counties"),
    "print_projects": ("个项目", "projects"),
    "print_table_county": ("县区", "County"),
    "print_table_category": ("类别", "Category"),
    "print_table_count": ("项目数", "Projects"),
    "print_table_invest": ("投资(亿元)", "¥100M"),
    "print_total": ("合计", "Total"),
    "print_unknown_county": ("县区未明", "County unknown"),
    "print_date": ("制图日期", "Map date"),
    "print_count": ("项目数量", "Number of projects"),
    "print_investment": ("已披露投资（亿元）", "Stated investment (100M yuan)"),
    "print_all": ("全市全部项目", "All projects in Changzhi"),
    "print_north": ("北", "N"),
    "print_km": ("公里", "km"),
    "print_invest_note": (
        "投资额仅计原文给出金额的项目",
        "Investment counts only amounts stated in the source",
    ),
    "print_approximate": (
        "空心：位置仅到县区驻地或市区",
        "Hollow: located to county seat or city only",
    ),
    "print_no_data": ("无数据（原文未给出）", "No data (not stated in the source)"),
    # popup fields
    "field_id": ("编号", "ID"),
    "field_name_en": ("英文名称", "English name"),
    "field_company": ("建设单位", "Company"),
    "field_county": ("县区", "County"),
    "field_category": ("类别", "Category"),
    "field_subcategory": ("子类", "Subcategory"),
    "field_stage": ("阶段", "Stage"),
    "field_investment": ("总投资", "Investment"),
    "field_capacity": ("规模", "Capacity"),
    "field_precision": ("位置精度", "Location precision"),
    "field_source": ("出处", "Source"),
    "details_in_panel": ("详细信息见侧栏", "Details in the side panel"),
    "spider_shown": ("显示 {shown} / {total} 个项目", "Showing {shown} of {total} projects"),
    "not_stated": ("未说明", "Not stated"),
    # basemaps
    "basemap_none": ("无底图（县区界）", "None (county outlines)"),
    "basemap_osm": ("OpenStreetMap", "OpenStreetMap"),
    "basemap_satellite": ("卫星影像（Esri）", "Satellite (Esri)"),
    "basemap_tianditu": ("天地图", "Tianditu"),
    "basemap_amap": ("高德地图", "Amap"),
    "needs_internet": ("需联网", "needs internet"),
    # app
    "app_title": ("长治市重大项目一张图", "Changzhi major projects map"),
    "page_map": ("项目地图", "Project map"),
    "page_import": ("数据导入", "Import"),
    "page_review": ("定位复核", "Location review"),
    "page_history": ("版本记录", "History"),
    "filters": ("筛选", "Filters"),
    "all": ("全部", "All"),
    "field_name": ("项目名称", "Project name"),
    "field_name_other": ("英文名称", "Chinese name"),
    "field_location": ("建设地点", "Location"),
    "field": ("项目", "Field"),
    "value": ("内容", "Value"),
    "invest_min": ("投资下限（亿元）", "Min. investment (亿元)"),
    "invest_max": ("投资上限（亿元）", "Max. investment (亿元)"),
    "search": ("名称搜索", "Search name"),
    "map_options": ("地图", "Map"),
    "basemap": ("底图", "Basemap"),
    "choropleth": ("县区分级设色", "County shading"),
    "choropleth_off": ("不设色", "Off"),
    "sel_projects": ("当前筛选项目数", "Projects selected"),
    "sel_invest": ("已披露总投资", "Stated investment"),
    "sel_invest_known": ("披露投资的项目", "Projects with stated investment"),
    "citywide": ("全市", "City-wide"),
    "click_hint": (
        "点击地图上的项目或在项目表中选择，查看详情。",
        "Click a project on the map or pick one in the table to see its details.",
    ),
    "point_in": ("点位在", "point in"),
    "tab_counties": ("县区对比", "County comparison"),
    "tab_projects": ("项目列表", "Projects"),
    "tab_export": ("导出", "Export"),
    "table_page": ("页码", "Page"),
    "table_rows": ("第 {first}–{last} 个，共 {n} 个项目", "Projects {first}–{last} of {n}"),
    "rank": ("排名", "Rank"),
    "rank_by": ("排序依据", "Rank by"),
    "rank_chart": ("分类别条形图", "Bar chart by category"),
    "format": ("格式", "Format"),
    "paper": ("纸张", "Paper"),
    "orientation": ("方向", "Orientation"),
    "orient_landscape": ("横向", "Landscape"),
    "orient_portrait": ("纵向", "Portrait"),
    "title": ("标题", "Title"),
    "subtitle": ("副标题", "Subtitle"),
    "prepare": ("生成地图文件", "Prepare map file"),
    "prepare_atlas": ("生成分县图集（PDF）", "Prepare county atlas (PDF)"),
    "preparing": ("正在生成……", "Preparing…"),
    "download": ("下载", "Download"),
    "extracts": ("数据下载（当前筛选）", "Data extracts (current selection)"),
    "atlas": ("分县图集", "County atlas"),
    "staff": ("工作人员登录", "Staff sign-in"),
    "signed_in_as": ("已登录：", "Signed in as"),
    "sign_in": ("登录", "Sign in"),
    "sign_in_oidc": ("统一身份认证登录", "Sign in with identity provider"),
    "sign_out": ("退出登录", "Sign out"),
    "sign_in_failed": ("用户名或密码错误", "Wrong username or password"),
    "sign_in_locked": (
        "登录失败次数过多，请 {seconds} 秒后再试",
        "Too many failed sign-ins; try again in {seconds} s",
    ),
    "sign_in_busy": ("登录繁忙，请稍后再试", "Sign-in is busy; try again shortly"),
    "sign_in_refused_page": (
        "登录未成功，请在左侧重试，或返回地图。",
        "Sign-in did not succeed; try again on the left, or go back to the map.",
    ),
    "back_to_map": ("返回地图", "Back to the map"),
    "rehash_note": (
        "您的密码哈希使用旧的强度参数。请管理员把 secrets.toml 中您账号的 password_hash "
        "换成下面这一行（由您刚输入的密码生成，只显示给您）：",
        "Your password hash uses an older strength. Ask the administrator to replace your "
        "account's password_hash in secrets.toml with this line (made from the password "
        "you just typed, shown only to you):",
    ),
    "idle_signed_out": (
        "{minutes} 分钟无操作，已自动退出工作人员登录。",
        "Signed out of staff sign-in after {minutes} minutes without activity.",
    ),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "upload": ("上传项目表（CSV 或 XLSX）", "Upload a project sheet (CSV or XLSX)"),
    "declared_crs": ("坐标系", "Coordinate system"),
    "validate": ("校验", "Validate"),
    "too_large": ("文件过大（上限 {limit} MB）", "File too large (limit {limit} MB)"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_accepted": ("接受", "Accepted"),
    "rows_warned": ("提示", "Warnings"),
    "rows_rejected": ("拒绝", "Rejected"),
    "row": ("行", "Row"),
    "status_accepted": ("已接受", "Accepted"),
    "status_accepted_with_warnings": ("已接受（有提示）", "Accepted with warnings"),
    "status_needs_review": ("待复核", "Needs review"),
    "download_rejected": (
        "下载被拒绝的行（XLSX，修改后可重新上传）",
        "Download rejected rows (XLSX, fix and re-upload)",
    ),
    "download_report": ("下载校验报告（JSON）", "Download validation report (JSON)"),
    "commit": ("确认入库", "Commit to register"),
    "committed": ("已保存为第 {version} 版", "Saved as version {version}"),
    "queue_empty": ("没有待复核的项目", "Nothing to review"),
    "lon": ("经度", "Longitude"),
    "lat": ("纬度", "Latitude"),
    "save_location": ("保存位置", "Save location"),
    "review_hint": (
        "在地图上点击新位置（WGS-84），或选择坐标系后输入坐标。",
        "Click the new position on the map (WGS-84), or choose a coordinate system and type it.",
    ),
    "current_point": ("当前位置", "Current position"),
    "hist_version": ("版本", "Version"),
    "hist_created_at": ("时间（UTC）", "Time (UTC)"),
    "hist_who_name": ("操作人", "By"),
    "hist_action": ("操作", "Action"),
    "hist_message": ("说明", "Note"),
    "hist_n_projects": ("项目数", "Projects"),
    "hist_added": ("新增", "Added"),
    "hist_updated": ("修改", "Updated"),
    "hist_removed": ("删除", "Removed"),
    "picked_point": ("新位置", "New position"),
    "unlocated": ("未定位", "Not located"),
    "county_unknown": ("县区未明", "County not known"),
    "summary_table": ("附县区统计表", "Add the county table"),
    "report_figures": (
        "全市2025年主要数据与目标（来自年终报道）",
        "City-wide 2025 figures and targets (from the report)",
    ),
    "figure": ("指标", "Figure"),
    "figure_kind": ("类型", "Kind"),
    "figure_actual": ("完成", "Achieved"),
    "figure_target": ("目标", "Target"),
    "unit_个": ("个", "projects"),
    "unit_家": ("家", "banks"),
    "unit_亿元": ("亿元", "× 100M CNY"),
    "unit_%": ("%", "%"),
    "unlocated_note": (
        "另有 {n} 个项目尚未定位，不在地图上（见定位复核）。",
        "{n} more projects have no location yet and are not on the map (see location review).",
    ),
    "store_unreadable": (
        "项目库暂时无法读取，请稍后刷新；如持续出现请联系管理员。",
        "The project store cannot be read right now; refresh soon, or tell an administrator.",
    ),
    "unplaced": ("县区未明的项目", "Projects with no known county"),
    "version": ("版本", "Version"),
    "restore": ("恢复此版本", "Restore this version"),
    "restore_confirm": ("确认恢复到版本 {version}", "Confirm restoring version {version}"),
    "store_error": (
        "项目库未能完成此操作，页面其余部分未受影响：",
        "The project store could not complete this; nothing else was changed:",
    ),
    "revert": ("撤销此版本的修改", "Undo this version's changes"),
    "version_changes": ("此版本修改的项目", "Projects this version changed"),
}


def t(key: str, lang: Lang | str = Lang.ZH) -> str:
    """Return the label of ``key`` in ``lang``.

    Parameters
    ----------
    key : str
        A key of :data:`LABELS`.
    lang : Lang or str
        ``"zh"`` or ``"en"``.

    Returns
    -------
    str
        The label.

    Raises
    ------
    KeyError
        If ``key`` is not in :data:`LABELS`.
    """
    zh, en = LABELS[key]
    return zh if Lang(lang) is Lang.ZH else en
