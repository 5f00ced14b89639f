"""Labels of the progress views and exports (月度进度、晾晒、督办): ``key: (zh, en)``.

Plain data read by :func:`geodata.i18n.t`.
"""

from __future__ import annotations

PROGRESS_LABELS: dict[str, tuple[str, str]] = {
    # sidebar
    "as_of": ("截至 {month}", "As of {month}"),
    "month": ("月份", "Month"),
    "map_view": ("地图视图", "Map view"),
    "mode_category": ("按类别", "By category"),
    "mode_progress": ("按进度", "By progress"),
    # tabs
    "tab_progress": ("进度晾晒", "County progress"),
    "tab_targets": ("全市目标", "City targets"),
    "tab_compare": ("月度对比", "Compare months"),
    "tab_supervision": ("督办清单", "Supervision list"),
    # legend and map
    "legend_status": ("序时进度", "Time schedule"),
    "legend_status_cluster": ("聚合圆圈颜色：其中最差的状态", "Bubble colour: worst status inside"),
    "legend_change_cluster": (
        "聚合圆圈颜色：其中最主要的变化",
        "Bubble colour: the most notable change inside",
    ),
    "legend_shapes": ("形状：▲ 能源 ■ 产业 ● 民生", "Shape: ▲ energy ■ industry ● livelihood"),
    "layer_progress_shading": ("县区完成率", "County completion rate"),
    "shading_title": ("计划完成率与序时进度之差", "Completion rate vs time share"),
    "shading_ahead": ("超序时", "Ahead of time share"),
    "shading_0_10": ("落后 0–10 个百分点", "0–10 points behind"),
    "shading_10_25": ("落后 10–25 个百分点", "10–25 points behind"),
    "shading_25": ("落后 25 个百分点以上", "More than 25 points behind"),
    "shading_none": ("无计划", "No plan"),
    "county_tip": (
        "{county}：完成率 {rate}，序时进度 {share}",
        "{county}: completion {rate}, time share {share}",
    ),
    # county table
    "col_rank": ("排名", "Rank"),
    "col_rank_change": ("较上月", "vs last month"),
    "col_county": ("县区", "County"),
    "col_planned_yi": ("年度计划投资（亿元）", "Annual plan (100M CNY)"),
    "col_completed_yi": ("累计完成投资（亿元）", "Completed (100M CNY)"),
    "col_completion_pct": ("完成率（%）", "Completion (%)"),
    "col_time_share_pct": ("序时进度（%）", "Time share (%)"),
    "col_gap_points": ("差距（百分点）", "Gap (points)"),
    "col_started": ("已开工", "Started"),
    "col_completed": ("已竣工投产", "Completed"),
    "col_lagging": ("滞后项目", "Lagging"),
    "col_not_reported": ("未报送", "Not reported"),
    "col_projects": ("项目数", "Projects"),
    "col_status": ("状态", "Status"),
    "col_plan": ("年度计划（亿元）", "Plan (100M CNY)"),
    "col_cumulative": ("累计完成（亿元）", "Completed (100M CNY)"),
    "col_unit": ("报送单位", "Reporting unit"),
    "col_image": ("形象进度", "Physical progress"),
    "col_name": ("项目名称", "Project"),
    "col_id": ("编号", "ID"),
    "col_period": ("月份", "Month"),
    "col_stage": ("阶段", "Stage"),
    "col_change": ("变化", "Change"),
    "col_added_yi": ("新增完成投资（亿元）", "Added (100M CNY)"),
    "col_measure": ("指标", "Measure"),
    "col_value": ("完成", "Achieved"),
    "col_target": ("目标", "Target"),
    "supervision_file_stem": ("督办清单", "supervision"),
    "chart_rate": ("完成率（%）", "Completion (%)"),
    "chart_time_share": ("序时进度", "Time share"),
    "chart_target": ("目标", "Target"),
    "county_caption": (
        "完成率 = 有计划项目的累计完成投资 ÷ 年度计划投资；序时进度 = 月份 ÷ 12。"
        "无计划、未报送的项目不计入金额，按项目数单列。",
        "Completion = cumulative of planned projects ÷ annual plan; time share = month ÷ 12. "
        "Projects without a plan or report add no amount and are counted apart.",
    ),
    "unplaced_progress": ("县区未明的项目：{n}", "Projects with no known county: {n}"),
    "no_progress_data": (
        "项目库中还没有年度计划和月度进度（可由工作人员导入）；所有项目显示为无计划 / 未报送。",
        "The store holds no plans or monthly progress yet (staff can import them); "
        "every project shows as no plan / not reported.",
    ),
    "demo_banner": (
        "演示数据：以下计划和进度为合成数据，不是真实报送。",
        "Demo data: these plans and progress reports are synthetic, not real reports.",
    ),
    # headline
    "fig_completed": ("累计完成投资", "Investment completed"),
    "fig_rate": ("计划完成率", "Plan completion"),
    "fig_lagging": ("滞后 / 严重滞后", "Lagging / severely"),
    "fig_no_plan": ("无计划 / 未报送", "No plan / not reported"),
    # targets
    "targets_caption": (
        "目标来自报告：产业项目投资完成 750 亿元以上，基础设施和公共服务项目完成投资 400 亿元以上，"
        "500 个产业转型项目年内竣工投产。",
        "Targets from the report: industrial investment 75 billion CNY, infrastructure and "
        "public services 40 billion CNY, 500 industrial projects completed in the year.",
    ),
    # project panel
    "panel_progress": ("月度进度（{year}年）", "Monthly progress ({year})"),
    "panel_plan": ("年度计划投资", "Annual plan"),
    "panel_cumulative": ("累计完成投资", "Cumulative completed"),
    "panel_stage_changes": ("阶段变化", "Stage changes"),
    "panel_no_stage_change": ("本年未报阶段变化", "No stage change reported this year"),
    "panel_status": ("截至本月状态", "Status this month"),
    "late_start": ("未按期开工", "Not started by the planned month"),
    "overdue": ("逾期未竣工", "Not completed by the planned month"),
    # compare
    "compare_with": ("与此月份对比", "Compare with"),
    "compare_none": ("不对比", "No comparison"),
    "compare_hint": (
        "选择一个较早的月份，查看其后新开工、竣工、阶段变化和滞后变化的项目。",
        "Pick an earlier month to see what started, finished, moved stage or changed lag since.",
    ),
    "compare_title": ("{a} → {b} 的变化", "Changes {a} → {b}"),
    "compare_added": ("新增完成投资", "Investment added"),
    "compare_map": ("变化项目分布", "Where the changes are"),
    "compare_across_years": ("跨年不计新增投资", "No added investment across years"),
    # supervision
    "sup_title": ("{city}重点项目督办清单（截至 {month}）", "Supervision list ({month})"),
    "sup_intro": (
        "滞后（落后序时进度 10–25 个百分点）和严重滞后（25 个百分点以上）的项目，按县区排列。",
        "Projects lagging (10–25 points behind the time share) or severely lagging (more "
        "than 25), by county.",
    ),
    "sup_empty": ("本月没有滞后项目。", "No project is lagging this month."),
    "sup_xlsx": ("下载督办清单（XLSX）", "Download supervision list (XLSX)"),
    "sup_pdf": ("下载督办清单（PDF）", "Download supervision list (PDF)"),
    "sup_count": ("共 {n} 个项目", "{n} projects"),
    "sup_page": ("第 {i} / {n} 页", "Page {i} of {n}"),
    "atlas_prepare": ("生成进度图集（PDF）", "Make the progress atlas (PDF)"),
    "atlas_download": ("下载进度图集", "Download the progress atlas"),
    "atlas_title": ("{city}项目进度分县图集（截至 {month}）", "County progress atlas ({month})"),
    "atlas_page_title": ("{county}项目进度（截至 {month}）", "{county}: progress ({month})"),
    "atlas_lagging": ("滞后项目", "Lagging projects"),
    "atlas_more": ("另有 {n} 个滞后项目见督办清单", "{n} more in the supervision list"),
    "atlas_none": ("无滞后项目", "No lagging project"),
    "print_as_of": ("截至 {month}", "as of {month}"),
}
