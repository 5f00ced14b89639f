"""Labels of every labelled enum: ``ENUM_LABELS[class name][value] = (zh, en)``.

Plain data read by :func:`geodata.i18n.label`; a test checks that every
member of every enum named here has both labels and that no label names a
member that does not exist.
"""

from __future__ import annotations

ENUM_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    # geodata.schema
    "Category": {
        "energy": ("能源", "Energy"),
        "industry": ("产业", "Industry"),
        "livelihood": ("民生", "Livelihood"),
    },
    "Stage": {
        "planning": ("谋划", "Planning"),
        "reserve": ("储备", "Reserve"),
        "construction": ("建设", "Under construction"),
        "operation": ("达产达效", "In operation"),
        "unknown": ("未知", "Unknown"),
    },
    "KeyLevel": {
        "provincial": ("省重点", "Provincial key project"),
        "municipal": ("市重点", "Municipal key project"),
        "general": ("一般", "General"),
    },
    "Major": {
        "yes": ("10亿元以上", "1 billion yuan or more"),
        "no": ("不足10亿元", "Under 1 billion yuan"),
    },
    "ImportKind": {
        "register": ("项目", "Project register"),
        "plan": ("年度计划", "Annual plans"),
        "progress": ("月度进度", "Monthly progress"),
    },
    "RowKind": {
        "plan": ("年度计划", "Annual plans"),
        "progress": ("月度进度", "Monthly progress"),
    },
    "Precision": {
        "exact": ("精确", "Exact"),
        "place": ("地名级", "Named place"),
        "county": ("县区级", "County"),
        "city": ("市级", "City"),
    },
    "CountyKind": {
        "district": ("区", "District"),
        "county": ("县", "County"),
    },
    "Subcategory": {
        "photovoltaic": ("光伏", "Photovoltaic"),
        "storage": ("储能", "Energy storage"),
        "hydrogen": ("氢能", "Hydrogen"),
        "integrated_energy": ("综合能源", "Integrated energy"),
        "new_materials": ("新材料", "New materials"),
        "electronics": ("电子信息", "Electronics"),
        "pharmaceuticals": ("医药", "Pharmaceuticals"),
        "health": ("健康产业", "Health industry"),
        "agriculture_food": ("农业食品", "Agriculture and food"),
        "recycling": ("资源循环利用", "Recycling"),
        "commerce": ("商贸消费", "Commerce"),
        "culture_tourism": ("文化旅游", "Culture and tourism"),
        "water": ("水利供水", "Water"),
        "ecology": ("生态环境", "Ecology"),
        "other": ("其他", "Other"),
    },
    # geodata.coords
    "CoordSystem": {
        "wgs84": ("WGS-84（GPS、天地图）", "WGS-84 (GPS, Tianditu)"),
        "gcj02": ("GCJ-02（高德、腾讯）", "GCJ-02 (Amap, Tencent)"),
        "bd09": ("BD-09（百度）", "BD-09 (Baidu)"),
    },
    # geodata.ingest
    "RowStatus": {
        "accepted": ("已接受", "Accepted"),
        "accepted_with_warnings": ("已接受（有提示）", "Accepted with warnings"),
        "needs_review": ("待复核", "Needs review"),
        "rejected": ("已拒绝", "Rejected"),
    },
    # geodata.store
    "Action": {
        "create": ("创建", "Created"),
        "import": ("导入", "Import"),
        "edit": ("修改", "Edit"),
        "restore": ("恢复版本", "Restore"),
        "revert": ("撤销修改", "Revert"),
    },
    # geodata.progress
    "LagStatus": {
        "ahead": ("超序时", "Ahead of schedule"),
        "on_track": ("正常", "On track"),
        "lagging": ("滞后", "Lagging"),
        "severely_lagging": ("严重滞后", "Severely lagging"),
        "no_plan": ("无计划", "No plan"),
        "not_reported": ("未报送", "Not reported"),
    },
    "TargetFamily": {
        "industrial": ("产业项目", "Industrial projects"),
        "infrastructure_public": ("基础设施和公共服务", "Infrastructure and public services"),
    },
    "TargetMeasure": {
        "industrial_yi": ("产业项目完成投资", "Industrial project investment"),
        "infrastructure_public_yi": (
            "基础设施和公共服务项目完成投资",
            "Infrastructure and public-service investment",
        ),
        "industrial_completed": (
            "产业转型项目年内竣工投产",
            "Industrial transformation projects completed in the year",
        ),
    },
    "Change": {
        "new": ("新增项目", "New project"),
        "removed": ("移出项目", "Removed project"),
        "started": ("新开工", "Started"),
        "completed": ("新竣工投产", "Completed"),
        "stage_moved": ("阶段变化", "Stage moved"),
        "lag_worsened": ("滞后加剧", "Fell further behind"),
        "lag_improved": ("进度好转", "Caught up"),
        "investment_added": ("新增完成投资", "Investment added"),
    },
    # layers
    "Basemap": {
        "none": ("无底图（县区界）", "None (county outlines)"),
        "osm": ("OpenStreetMap", "OpenStreetMap"),
        "satellite": ("卫星影像（Esri）", "Satellite (Esri)"),
        "tianditu": ("天地图", "Tianditu"),
        "amap": ("高德地图", "Amap"),
    },
    "Metric": {
        "count": ("项目数", "Projects"),
        "invest": ("总投资（亿元）", "Total investment (100M CNY)"),
    },
    "Paper": {
        "A4": ("A4", "A4"),
        "A3": ("A3", "A3"),
    },
    "Orientation": {
        "landscape": ("横向", "Landscape"),
        "portrait": ("纵向", "Portrait"),
    },
    "ExportFormat": {
        "png": ("PNG 图片", "PNG image"),
        "pdf": ("PDF 文档", "PDF document"),
        "svg": ("SVG 矢量图", "SVG vector image"),
        "html": ("HTML 网页", "HTML page"),
        "csv": ("CSV 表格", "CSV table"),
        "xlsx": ("XLSX 表格（Excel）", "XLSX table (Excel)"),
        "geojson": ("GeoJSON", "GeoJSON"),
        "gpkg": ("GeoPackage", "GeoPackage"),
    },
}
"""Labels of each labelled enum's members, by class name and member value."""
