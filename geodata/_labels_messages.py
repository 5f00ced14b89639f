"""Messages of imports, the store, sign-in, exports and progress reports: ``(zh, en)``.

Plain data read by :func:`geodata.i18n.t` and :func:`geodata.i18n.bilingual`
(which writes ``中文 (English)`` for errors, report rows and version notes);
``{placeholders}`` are filled by the caller.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # sign-in and authors
    "auth_staff_required": ("需要工作人员登录", "staff sign-in required"),
    "auth_author_required": ("需要署名的工作人员", "a write needs an author"),
    # the store
    "store_busy": (
        "数据库正被其他程序占用，请稍后重试；本次未写入任何内容",
        "the store {where} is busy, try again; nothing was written",
    ),
    "store_not_found": ("找不到项目库 {where}", "no project store at {where}"),
    "store_unreachable": (
        "数据库无法连接：{where}，请稍后重试或联系管理员",
        "database unreachable: {where}; try again later",
    ),
    "store_schema_mismatch": (
        "{where} 的项目库结构版本为 {found}，本程序需要 {expected}；{hint}",
        "{where} has store schema {found}, this app reads schema {expected}; {hint}",
    ),
    "store_upgrade": (
        "请先备份，再运行 `python -m geodata.store upgrade {where}`",
        "back it up and run `python -m geodata.store upgrade {where}`",
    ),
    "store_use_its_app": ("请使用写入它的程序版本", "use the version of the app that wrote it"),
    "store_init_hint": (
        "请先运行 python -m geodata.store init URL 创建",
        "run `python -m geodata.store init URL` to create one",
    ),
    "store_exists": ("项目库 {where} 已存在，未覆盖", "a store exists at {where}; kept"),
    "store_stale": (
        "未保存：版本 {base_version} 之后这些项目已被修改：{conflicts}。请刷新后核对再提交",
        "not saved: since version {base_version} these projects were changed: {conflicts}; "
        "reload, check and try again",
    ),
    "store_conflict": (
        "{project_id}（{who}，版本 {version}）",
        "{project_id} by {who} in version {version}",
    ),
    "store_conflicts_more": ("另有 {n} 处", "and {n} more"),
    "store_conflict_separator": ("；", "; "),
    "store_created": ("由内置项目库创建", "created from the bundled register"),
    "store_restored": ("恢复到版本 {version}", "restored version {version}"),
    "store_reverted_ids": (
        "撤销版本 {version} 的修改：{ids}",
        "reverted version {version}: {ids}",
    ),
    "store_revert_rows": (
        "版本 {version} 导入的是{what}，不能撤销；如需更正，请导入更正后的数据。本次未写入任何内容",
        "version {version} imported {what}, which cannot be undone: import the corrected "
        "rows instead; nothing was written",
    ),
    "store_ids_more": ("{ids} 等 {n} 个", "{ids} and {more} more"),
    "store_nothing": ("无", "nothing"),
    "store_set_location": (
        "设置 {project_id} 的位置 ({system} {lon:.6f}, {lat:.6f})",
        "set location of {project_id}",
    ),
    "store_outside_city": (
        "位置 ({given}WGS-84 {lon:.6f}, {lat:.6f}) 不在长治市范围内，未保存",
        "point lon={lon:.6f}, lat={lat:.6f} is outside 长治市; nothing saved",
    ),
    "store_outside_county": (
        "注意：位置不在所填县区{stated}内，而在{found}",
        "warning: the point lies outside the stated county {stated}, in {found}",
    ),
    # exports
    "export_busy": ("服务器正忙，请稍后重试", "busy, please retry"),
    "export_quota": (
        "导出过于频繁，请 {seconds} 秒后重试",
        "too many exports; retry in {seconds} s",
    ),
    # import: file safety
    "ingest_too_large": (
        "文件 {mib:.1f} MiB，超过上限 {limit_mib:.0f} MiB",
        "file is {size} bytes, larger than the {limit}-byte limit",
    ),
    "ingest_empty": ("文件为空", "the file is empty"),
    "ingest_xls": ("不支持旧版 .xls，请另存为 .xlsx", "old .xls is not read: save as .xlsx"),
    "ingest_file_type": (
        "不支持的文件类型 {suffix}，请上传 .csv、.xlsx、.geojson 或 .gpkg",
        "unsupported file type {suffix}: upload .csv, .xlsx, .geojson or .gpkg",
    ),
    "ingest_no_suffix": ("（无扩展名）", "(none)"),
    "ingest_xml_dtd": (
        "XLSX 中的 {part} 含 DTD/实体声明，可能是 XML 炸弹，已拒绝",
        "xlsx part {part} declares a DTD or entities: refused as a possible XML bomb",
    ),
    "ingest_xml_unsafe": ("XLSX 中的 {part} 不安全，已拒绝", "unsafe XML in {part}: {error}"),
    "ingest_xml_invalid": (
        "XLSX 中的 {part} 不是有效的 XML",
        "xlsx part {part} is not valid XML: {error}",
    ),
    "ingest_xls_as_xlsx": (
        "这是旧版 .xls 文件，请另存为 .xlsx",
        "old .xls content in an .xlsx file: save it as .xlsx",
    ),
    "ingest_not_xlsx": (
        "文件内容不是 XLSX（可能是改了扩展名的 CSV）",
        "content is not an xlsx workbook; is it a CSV renamed to .xlsx?",
    ),
    "ingest_zip_not_workbook": (
        "压缩包不是 Excel 工作簿",
        "zip file is not an Excel workbook: [Content_Types].xml or xl/ is missing",
    ),
    "ingest_xlsx_parts": ("XLSX 含 {n} 个部件，过多", "too many parts: {n}"),
    "ingest_zip_bomb": (
        "XLSX 解压后 {mib:.0f} MiB，超过上限 {limit_mib:.0f} MiB，疑似压缩炸弹",
        "unpacks to {mib:.0f} MiB: refused as a possible zip bomb",
    ),
    "ingest_zip_ratio": (
        "XLSX 部件 {part} 压缩比 {ratio:.0f}:1，疑似压缩炸弹",
        "part {part} compresses {ratio:.0f}:1: refused as a possible zip bomb",
    ),
    "ingest_zip_damaged": ("XLSX 压缩包已损坏", "damaged xlsx archive: {error}"),
    "ingest_csv_is_zip": (
        "文件内容是压缩包/XLSX，而扩展名是 .csv，请使用正确的扩展名",
        "content is a zip/xlsx workbook but the name ends in .csv",
    ),
    "ingest_csv_is_xls": (
        "文件内容是旧版 .xls，而扩展名是 .csv",
        "content is an old .xls workbook",
    ),
    "ingest_csv_binary": (
        "CSV 含二进制内容（第 {offset} 字节），请另存为 UTF-8 或 GBK 文本",
        "binary or UTF-16 content at byte {offset}: save as UTF-8 or GBK text",
    ),
    "ingest_not_geojson": ("文件内容不是 GeoJSON", "content is not a GeoJSON object"),
    "ingest_not_gpkg": ("文件内容不是 GeoPackage", "content is not a GeoPackage/SQLite file"),
    # import: limits
    "ingest_too_many_rows": (
        "行数超过上限 {limit:,} 行，请分批导入",
        "more than {limit:,} rows: split the file",
    ),
    "ingest_too_many_columns": (
        "{where}超过 {limit} 列上限，请删去多余的列",
        "{where}more than the {limit}-column limit: remove the extra columns",
    ),
    "ingest_too_many_cells": (
        "单元格数超过上限 {limit:,}，请分批导入",
        "more than {limit:,} cells: split the file",
    ),
    "ingest_where_widest_row": ("有一行 {n:,} 列，", "a row has {n:,} columns: "),
    "ingest_where_row": ("第 {number} 行", "row {number}: "),
    "ingest_where_cell": ("单元格 {ref} ", "cell {ref}: "),
    "ingest_where_properties": ("属性有 {n:,} 个，", "{n:,} properties: "),
    # import: reading
    "ingest_bom_invalid": (
        "文件以 UTF-8 BOM 开头，但第 {offset} 字节处不是有效的 UTF-8",
        "file starts with a UTF-8 BOM but byte {offset} is not valid UTF-8",
    ),
    "ingest_undecodable": (
        "无法识别文件编码：第 {utf8} 字节不是 UTF-8，第 {gb} 字节不是 GB18030/GBK；"
        "请另存为 UTF-8 或 GBK",
        "cannot decode: byte {utf8} is not UTF-8, byte {gb} is not GB18030/GBK; "
        "save the file as UTF-8 or GBK",
    ),
    "ingest_no_header": (
        "找不到表头：前 10 行中没有“项目名称”“所在县区”等列名",
        "no header row: none of the first 10 rows names register columns such as 项目名称",
    ),
    "ingest_unnamed_column": ("列{n}", "column {n}"),
    "ingest_bad_csv": ("CSV 格式错误", "malformed CSV: {error}"),
    "ingest_no_sheet": ("工作簿没有工作表", "the workbook has no sheet"),
    "ingest_out_of_memory": (
        "文件展开后过大，内存不足，已拒绝",
        "the file is too large to read in memory",
    ),
    "ingest_missing_columns": (
        "缺少必填列：{missing}；现有列：{present}",
        "missing required column(s): {missing}",
    ),
    "rows_need_project": ("项目编号，或项目名称和县区", "project id, or name and county"),
    "rows_need_year": ("年度，或 --year", "year"),
    "rows_need_plan": ("年度计划投资", "annual plan"),
    "rows_need_period": ("报告期或月份", "period"),
    "rows_need_amount": ("累计完成投资或本月完成投资", "cumulative or month's investment"),
    "rows_missing_separator": ("；", "; "),
    "rows_missing_columns": (
        "{kind}表缺少必填列：{missing}；已识别的列：{present}",
        "{kind} sheet: missing required column(s): {missing}",
    ),
    "ingest_one_coordinate_column": (
        "有“{have}”列但缺少“{lack}”列",
        "one coordinate column is missing",
    ),
    "column_name_zh": ("项目名称", "name"),
    "column_county": ("所在县区", "county"),
    "column_category": ("类别", "category"),
    "column_lon": ("经度", "longitude"),
    "column_lat": ("纬度", "latitude"),
    "column_capacity_value": ("规模数值", "capacity_value"),
    # import: geojson and geopackage
    "ingest_geojson_not_point": ("GeoJSON 中只支持点要素", "only Point features can be imported"),
    "ingest_geojson_bad_point": ("GeoJSON 点坐标无效", "a Point has no valid coordinates"),
    "ingest_geojson_point_nan": ("GeoJSON 点坐标不是数字", "Point coordinates are not numbers"),
    "ingest_geojson_malformed": ("GeoJSON 格式错误", "malformed GeoJSON: {error}"),
    "ingest_geojson_not_collection": ("GeoJSON 不是要素集合", "not a GeoJSON FeatureCollection"),
    "ingest_geojson_crs": ("GeoJSON 坐标系不是 WGS-84", "GeoJSON must be in WGS-84 / CRS84"),
    "ingest_gpkg_no_layer": ("GeoPackage 没有图层", "the GeoPackage has no layer"),
    "ingest_gpkg_unreadable": ("GeoPackage 无法读取", "cannot read the GeoPackage: {error}"),
    "ingest_gpkg_not_point": ("GeoPackage 中只支持点要素", "only point features can be imported"),
    # import: xlsx parts
    "ingest_xlsx_dtd": (
        "XLSX 含 DTD/实体声明，已拒绝",
        "DTD or entity declaration in the workbook",
    ),
    "ingest_xlsx_part_invalid": (
        "XLSX 部件 {part} 不是有效的 XML",
        "part {part} is not valid XML: {error}",
    ),
    "ingest_xlsx_bad_ref": ("XLSX 单元格引用 {ref!r} 无效", "malformed cell reference"),
    "ingest_xlsx_missing_part": ("工作簿缺少部件 {part}", "workbook part {part} is missing"),
    "ingest_xlsx_missing_sheet": (
        "工作簿缺少工作表 {title} {part}",
        "worksheet {title} ({part}) is missing",
    ),
    "ingest_xlsx_bad_row": ("XLSX 行号 {number!r} 无效", "malformed row number"),
    "ingest_xlsx_shared_string": (
        "XLSX 单元格 {ref} 引用的共享字符串 {raw!r} 不存在",
        "shared string index out of range",
    ),
    "ingest_xlsx_formula": (
        "{ref} 是公式但没有保存计算结果，按空白处理",
        "{ref} is a formula saved without its result: read as blank",
    ),
    "ingest_xlsx_merged": (
        "合并单元格 {ref} 已向下填充“{value}”({n} 行)",
        "merged cells {ref} filled down into {n} row(s)",
    ),
    # import: fields of a row
    "ingest_name_empty": ("项目名称为空", "project name is empty"),
    "ingest_unknown_county": ("县区“{text}”不是长治市的县区", "unknown county"),
    "ingest_unknown_subcategory": ("子类“{text}”无法识别，记为其他", "unknown subcategory"),
    "ingest_unknown_category": (
        "类别“{text}”无法识别，应为 能源/产业/民生",
        "unknown category",
    ),
    "ingest_category_empty": ("类别为空", "category is empty"),
    "ingest_category_mismatch": (
        "子类“{subcategory}”属于{belongs}，与类别“{category}”不符",
        "subcategory belongs to another category",
    ),
    "ingest_unknown_stage": ("建设阶段“{text}”无法识别，记为未知", "unknown stage"),
    "ingest_unknown_key_level": (
        "重点级别“{text}”无法识别（应为 省重点/市重点/一般），留空",
        "unknown key level",
    ),
    "ingest_unknown_precision": ("定位精度“{text}”无法识别，按精确记", "unknown precision"),
    "ingest_capacity_unit_missing": (
        "有规模数值但缺少规模单位",
        "capacity_value without capacity_unit",
    ),
    "ingest_not_a_number": ("{what}不是非负数字：{raw!r}", "not a number"),
    "ingest_investment": ("总投资", "investment"),
    "ingest_invest_not_stated": ("{what}未填写（{shown}）", "{what} not stated"),
    "ingest_invest_blank": ("空", "blank"),
    "ingest_invest_unreadable": ("{what}无法识别：{raw!r}", "{what} not a number"),
    "ingest_invest_negative": ("{what}为负数：{raw!r}", "{what} is negative"),
    "ingest_invest_approximate": (
        "{what}为约数：{raw!r}，按 {value:g} 亿元记",
        "{what}: approximate amount",
    ),
    "ingest_invest_yuan": (
        "{what} {raw} 看起来是元：{yi:g}亿元？请核对单位",
        "{what} {raw} looks like yuan: {yi:g} 亿元? check the unit",
    ),
    # import: locations
    "ingest_coordinate_nan": ("坐标不是数字：{raw!r}", "coordinate is not a number"),
    "ingest_one_coordinate": ("只填了经度或纬度之一", "only one of longitude/latitude is given"),
    "ingest_out_of_range": (
        "坐标超出范围：经度 {lon:g}，纬度 {lat:g}",
        "coordinates out of range",
    ),
    "ingest_unknown_crs": ("坐标系“{text}”无法识别", "unknown coordinate system"),
    "ingest_swapped": (
        "经纬度填反，已对调为 经度 {lon:.7g}、纬度 {lat:.7g}",
        "latitude and longitude were swapped; swapped back",
    ),
    "ingest_swapped_outside": (
        "经纬度疑似填反，对调后仍不在长治市",
        "latitude/longitude look swapped and the point is outside 长治市 either way",
    ),
    "ingest_far_outside": (
        "位置（{lon:.4f}, {lat:.4f}）远在长治市范围之外",
        "point lies far outside 长治市; check the coordinates and the coordinate system",
    ),
    "ingest_near_outside": (
        "位置在长治市界外（邻近地区），请核对",
        "point lies just outside the city boundary",
    ),
    "ingest_other_county": (
        "位置落在{found}，而所填县区为{stated}",
        "point lies in {found}, not in the stated county",
    ),
    "ingest_geocoded_coarse": (
        "无坐标，仅定位到{matched}（{level}），需复核",
        "no coordinates; placed at {level_code} level only, needs review",
    ),
    "ingest_geocoded": (
        "无坐标，按地名“{matched}”定位（{level}）",
        "no coordinates; geocoded from {matched!r}",
    ),
    "ingest_needs_review": (
        "无坐标且无法由县区和建设地点定位，待人工定位",
        "no coordinates and no place found: set the point by hand",
    ),
    "ingest_coarser_location": (
        "所给位置（{given}）比项目库中的位置（{stored}）粗，保留原位置",
        "a coarser location does not replace the stored one",
    ),
    "ingest_county_from_point": ("未填县区，按位置取为{county}", "county taken from the point"),
    # import: matching
    "ingest_duplicate_id": (
        "项目编号 {pid} 与第 {other} 行重复",
        "duplicate id {pid}, same as row {other}",
    ),
    "ingest_duplicate_row": (
        "与第 {other} 行项目名称和县区相同，视为重复",
        "same name and county as row {other}: duplicate",
    ),
    "ingest_same_as_row": (
        "与第 {other} 行项目名称和县区相同（编号不同），请确认",
        "same name and county as row {other} with another id: check",
    ),
    "ingest_same_as_stored": (
        "项目库中已有同名同县区项目 {listed}（编号不同），请确认是否重复",
        "the register already has {listed} with this name and county under another id: "
        "check for a duplicate",
    ),
    "ingest_ambiguous_match": (
        "与项目库中 {listed} 同名同县区，无法确定更新哪一个，已作为新项目导入，请确认",
        "same name and county as {listed} in the register, which cannot be told apart: "
        "imported as a new project, check",
    ),
    "ingest_adopted": (
        "与项目库中 {adopted} 同名同县区，已按更新该项目导入（表中空白的字段保留原值）",
        "same name and county as {adopted} in the register: updates that project; "
        "blank cells keep its values",
    ),
    # import: report and commit
    "ingest_provenance": ("导入自 {source} 第 {row} 行", "imported from {source}, row {row}"),
    "ingest_nothing_changed": (
        "{filename}：没有任何改动，无需写入",
        "{filename}: nothing changed; nothing to write",
    ),
    "ingest_summary": (
        "{filename}：新增 {added} 个，更新 {updated} 个，未变 {unchanged} 个，拒绝 {rejected} 行",
        "{filename}: {added} added, {updated} updated, {unchanged} unchanged, {rejected} rejected",
    ),
    "ingest_commit_note": (
        "导入 {filename}：新增 {added}，更新 {updated}，拒绝 {rejected} 行",
        "import {filename}: {added} added, {updated} updated, {rejected} rejected",
    ),
    "ingest_empty_value": ("（空）", "(empty)"),
    "ingest_row_column": ("原行号", "row"),
    "ingest_reason_column": ("拒绝原因", "reason"),
    # import: plan and progress rows
    "rows_field_annual_plan": ("年度计划投资", "annual plan"),
    "rows_field_cumulative": ("累计完成投资", "cumulative investment"),
    "rows_field_month": ("本月完成投资", "month's investment"),
    "rows_field_planned_start": ("计划开工", "planned start"),
    "rows_field_planned_completion": ("计划竣工", "planned completion"),
    "rows_field_actual_start": ("开工日期", "actual start"),
    "rows_field_actual_completion": ("竣工日期", "actual completion"),
    "rows_field_actual_production": ("投产日期", "actual production"),
    "rows_field_period": ("报告期", "period"),
    "rows_field_stage": ("当前阶段", "stage"),
    "rows_field_pool_stage": ("四库", "pool stage"),
    "rows_field_year": ("年度", "year"),
    "rows_month_numeric": (
        "{what} {raw} 在 Excel 中存为数字，无法区分 1 月和 10 月，请把该列设为文本并写作 "
        "2025-10 或 2025年10月",
        "{what} {raw} is stored as a number: January or October? write the month as text, "
        "e.g. 2025-10",
    ),
    "rows_month_unreadable": ("{what}：{error}", "{what}: {error}"),
    "rows_month_october": (
        "{what} {raw} 按 {period} 读取；若指 10 月请写 {year}-10",
        "{what} {raw} read as {period}; write {year}-10 for October",
    ),
    "rows_left_blank": ("{message}，留空", "{message}; left blank"),
    "rows_year_empty": ("年度为空", "year is empty; pass --year"),
    "rows_year_unreadable": ("年度无法识别：{raw!r}", "not a year: {raw!r}"),
    "rows_repeated": (
        "{pid} 的{what} {when} 在第 {numbers} 行重复出现，无法判断以哪行为准，均未导入",
        "{pid} {when} appears in rows {numbers}: none imported",
    ),
    "rows_unknown_stage": ("{what}“{text}”无法识别，记为未知", "unknown {what}"),
    "rows_unknown_family": (
        "目标类别“{text}”无法识别（应为 {choices}），按类别表",
        "unknown target family: taken from the category table",
    ),
    "rows_family_choices": ("产业项目 或 基础设施和公共服务", "industrial or infrastructure"),
    "rows_no_plan_amount": ("年度计划投资未填写，该项目按无计划统计", "no annual plan amount"),
    "rows_candidate": ("{pid} {name}（{county}）", "{pid} {name} ({county})"),
    "rows_candidate_no_county": ("{pid} {name}", "{pid} {name}"),
    "rows_candidates_none": ("无相近项目", "none similar"),
    "rows_name_differs": (
        "项目名称与项目库不一致：表中为“{name}”，项目库为 {stored}，按编号导入",
        "name differs from the register's: matched by id",
    ),
    "rows_unknown_id": (
        "项目编号 {pid} 不在项目库中，未导入；候选：{listed}",
        "project id {pid} is not in the register; not imported",
    ),
    "rows_unknown_county": (
        "县区“{county}”不是长治市的县区，无法匹配项目",
        "unknown county: cannot match",
    ),
    "rows_no_id_no_county": (
        "未填项目编号和县区，无法确定项目；候选：{listed}",
        "no project id and no county: cannot tell the project",
    ),
    "rows_same_name": (
        "{county}有 {n} 个同名项目：{listed}，无法判断，请填写项目编号",
        "several projects with this name and county: give the id",
    ),
    "rows_no_such_project": (
        "项目库中没有{county}的“{name}”，未导入；候选：{listed}",
        "no project of this name in this county; not imported",
    ),
    "rows_version_note": (
        "{what}：新增 {added}，更新 {updated}",
        "{what}: {added} added, {updated} updated",
    ),
    "rows_table_plans": ("年度计划", "plans"),
    "rows_table_progress": ("月度进度", "progress"),
    # the demo store (bench/demo_store.py)
    "demo_author": ("演示数据", "demo data"),
    "synthetic_source": ("合成数据，仅供性能测试", "synthetic, for benchmarks only"),
    "demo_note": ("演示数据（合成，非真实项目）", "demo data: synthetic, not real projects"),
    # progress reports
    "progress_month_range": ("月份须为 1–12，而不是 {month}", "month must be 1–12, not {month}"),
    "progress_year_range": (
        "年份须在 {lo}–{hi} 之间，而不是 {year}",
        "year must be {lo}–{hi}, not {year}",
    ),
    "progress_future": (
        "报告期 {period} 晚于当前月份 {today}",
        "period {iso} is after the current month {today_iso}",
    ),
    "progress_too_long": (
        "报告期文字过长（{n} 字符），无法识别为月份",
        "period text too long: {n} characters",
    ),
    "progress_empty": ("报告期为空", "period is empty"),
    "progress_no_year": (
        "报告期 {text} 只有月份，请给出年度（--year）",
        "period {text} gives no year; pass --year",
    ),
    "progress_unreadable": (
        "无法识别报告期 {text}，应写作 2025-09 或 2025年9月",
        "not a period: {text}; write 2025-09 or 2025年9月",
    ),
    "progress_missing_month": (
        "只填了本月完成投资，{months}未报送，按 0 计",
        "only the month's amount given; {months} not reported, counted as 0",
    ),
    "progress_decrease": (
        "累计完成投资 {c:g} 亿元低于上次报送的 {p:g} 亿元",
        "cumulative {c:g} below the previous report's {p:g} (100 million yuan)",
    ),
    "progress_mismatch": (
        "累计完成投资 {c:g} 亿元 ≠ 上月累计 {p:g} + 本月 {m:g} 亿元",
        "cumulative {c:g} ≠ previous {p:g} + month {m:g} (100 million yuan)",
    ),
    "progress_no_amount": (
        "未填写累计或本月完成投资",
        "neither cumulative nor month's amount given",
    ),
}
"""Messages, by key: ``(zh, en)``."""
