"""Regenerate the adversarial import samples in this folder.

Usage: ``.venv/bin/python tests/data/ingest/make_samples.py``. Every file is
written by this script (see README.md); rows are invented test data.
"""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
# run as a script from anywhere: the repository root holds the geodata package
sys.path.insert(0, str(HERE.parents[2]))

HEADER_ZH = [
    "项目编号",
    "项目名称",
    "所在县区",
    "建设地点",
    "总投资",
    "建设阶段",
    "类别",
    "子类",
    "经度",
    "纬度",
    "建设单位",
]

# seat of 潞州区 and 武乡县 (wgs-84), used as known-good points
LUZHOU = ("113.1163", "36.1955")
WUXIANG = ("112.8650", "36.8377")
ZHANGZI = ("112.8775", "36.1213")


def _csv(rows: list[list[str]], *, header: list[str] = HEADER_ZH) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


BASIC = [
    [
        "T-001",
        "潞州区测试光伏项目",
        "潞州区",
        "潞州区",
        "5.39亿元",
        "在建",
        "能源",
        "光伏",
        *LUZHOU,
        "测试企业甲",
    ],
    [
        "T-002",
        "武乡县测试文旅项目",
        "武乡县",
        "八路军文化旅游景区",
        "3000万元",
        "谋划",
        "民生",
        "文化旅游",
        *WUXIANG,
        "",
    ],
    [
        "T-003",
        "长子县测试材料项目",
        "长子县",
        "丹朱镇",
        "１，２００万元",
        "达产达效",
        "产业",
        "新材料",
        *ZHANGZI,
        "测试企业乙",
    ],
]

AMOUNTS = [
    ["A-01", "金额一", "潞州区", "", "5.39亿元", "在建", "能源", "", *LUZHOU, ""],
    ["A-02", "金额二", "潞州区", "", "3000万元", "在建", "能源", "", *LUZHOU, ""],
    ["A-03", "金额三", "潞州区", "", "１，２００万元", "在建", "能源", "", *LUZHOU, ""],
    ["A-04", "金额四", "潞州区", "", "5.39 亿", "在建", "能源", "", *LUZHOU, ""],
    ["A-05", "金额五", "潞州区", "", "5.39", "在建", "能源", "", *LUZHOU, ""],
    ["A-06", "金额六", "潞州区", "", "约5亿", "在建", "能源", "", *LUZHOU, ""],
    ["A-07", "金额七", "潞州区", "", "待定", "在建", "能源", "", *LUZHOU, ""],
    ["A-08", "金额八", "潞州区", "", "—", "在建", "能源", "", *LUZHOU, ""],
    ["A-09", "金额九", "潞州区", "", "", "在建", "能源", "", *LUZHOU, ""],
    ["A-10", "金额十", "潞州区", "", "很多钱", "在建", "能源", "", *LUZHOU, ""],
    ["A-11", "金额十一", "潞州区", "", "-3亿元", "在建", "能源", "", *LUZHOU, ""],
]

SWAPPED = [
    ["S-01", "颠倒一", "潞州区", "", "1", "在建", "产业", "", "36.1955", "113.1163", ""],
    ["S-02", "颠倒二", "潞州区", "", "1", "在建", "产业", "", "39.9", "116.4", ""],
    ["S-03", "正常", "潞州区", "", "1", "在建", "产业", "", *LUZHOU, ""],
]

OUTSIDE = [
    ["O-01", "北京点", "潞州区", "", "1", "在建", "民生", "", "116.40", "39.90", ""],
    ["O-02", "县外点", "潞州区", "", "1", "在建", "民生", "", *WUXIANG, ""],
    ["O-03", "市界外近点", "沁源县", "", "1", "在建", "民生", "", "112.0", "35.7", ""],
    ["O-04", "市内点", "武乡县", "", "1", "在建", "民生", "", *WUXIANG, ""],
]

LEGACY = [
    ["L-01", "旧名长治县", "长治县", "", "1", "在建", "产业", "", "", "", ""],
    ["L-02", "旧名城区", "城区", "", "1", "在建", "产业", "", "", "", ""],
    ["L-03", "旧名郊区", "郊区", "", "1", "在建", "产业", "", "", "", ""],
    ["L-04", "旧名潞城市", "潞城市", "", "1", "在建", "产业", "", "", "", ""],
    ["L-05", "旧名屯留县", "屯留县", "", "1", "在建", "产业", "", "", "", ""],
    ["L-06", "旧代码", "140421", "", "1", "在建", "产业", "", "", "", ""],
    ["L-07", "今名", "上党区", "", "1", "在建", "产业", "", "", "", ""],
    ["L-08", "外市", "太原市", "", "1", "在建", "产业", "", "", "", ""],
]

DUPLICATES = [
    ["D-01", "重复编号项目", "潞州区", "", "1", "在建", "产业", "", *LUZHOU, ""],
    ["D-01", "重复编号项目二", "潞州区", "", "1", "在建", "产业", "", *LUZHOU, ""],
    ["", "同名无编号", "长子县", "", "1", "在建", "产业", "", *ZHANGZI, ""],
    ["", "同名无编号", "长子县", "", "2", "在建", "产业", "", *ZHANGZI, ""],
    ["D-05", "同名不同编号", "武乡县", "", "1", "在建", "产业", "", *WUXIANG, ""],
    ["D-06", "同名不同编号", "武乡县", "", "1", "在建", "产业", "", *WUXIANG, ""],
    ["", "同名无编号", "潞州区", "", "1", "在建", "产业", "", *LUZHOU, ""],
]

BAD_COORDS = [
    ["C-01", "坐标NaN", "潞州区", "", "1", "在建", "产业", "", "NaN", "36.19", ""],
    ["C-02", "坐标文字", "潞州区", "", "1", "在建", "产业", "", "东经113度", "36.19", ""],
    ["C-03", "坐标越界", "潞州区", "", "1", "在建", "产业", "", "213.1", "36.19", ""],
    ["C-04", "只有经度", "潞州区", "", "1", "在建", "产业", "", "113.1", "", ""],
    [
        "C-05",
        "全角坐标",
        "潞州区",
        "",
        "1",
        "在建",
        "产业",
        "",
        "１１３．１１６３",
        "３６．１９５５",
        "",
    ],
]

GEOCODE = [
    [
        "G-01",
        "景区提升项目",
        "武乡县",
        "八路军文化旅游景区",
        "1",
        "在建",
        "民生",
        "文化旅游",
        "",
        "",
        "",
    ],
    ["G-02", "某村道路项目", "长子县", "某某村", "1", "在建", "民生", "", "", "", ""],
    ["G-03", "无处可寻项目", "", "火星基地", "1", "在建", "民生", "", "", "", ""],
    ["G-04", "漳泽湖湿地项目", "", "漳泽湖", "1", "在建", "民生", "生态环境", "", "", ""],
]

VOCAB = [
    ["V-01", "阶段一", "潞州区", "", "1", "储备", "能源", "储能", *LUZHOU, ""],
    ["V-02", "阶段二", "潞州区", "", "1", "开工", "产业类", "", *LUZHOU, ""],
    ["V-03", "阶段三", "潞州区", "", "1", "投产", "民生项目", "", *LUZHOU, ""],
    ["V-04", "阶段四", "潞州区", "", "1", "研究中", "Energy", "", *LUZHOU, ""],
    ["V-05", "类别错", "潞州区", "", "1", "在建", "农业", "", *LUZHOU, ""],
    ["V-06", "子类冲突", "潞州区", "", "1", "在建", "民生", "光伏", *LUZHOU, ""],
    ["V-07", "仅子类", "潞州区", "", "1", "在建", "", "医药", *LUZHOU, ""],
    ["V-08", "", "潞州区", "", "1", "在建", "产业", "", *LUZHOU, ""],
]


def _gcj_rows() -> list[list[str]]:
    """Rows whose coordinates are the GCJ-02 form of known WGS-84 points."""
    from geodata.coords import convert

    rows = []
    for k, (lon, lat) in enumerate((LUZHOU, WUXIANG, ZHANGZI), start=1):
        glon, glat = convert(lon=float(lon), lat=float(lat), src="wgs84", dst="gcj02")
        rows.append(
            [
                f"J-0{k}",
                f"火星坐标{k}",
                "",
                "",
                "1",
                "在建",
                "能源",
                "",
                f"{glon:.7f}",
                f"{glat:.7f}",
                "",
            ]
        )
    return rows


def _xlsx(rows: list[list[object]], *, header: list[str], title: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目表"
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace_part(xlsx: bytes, name: str, content: bytes) -> bytes:
    """Return a copy of an xlsx with one part's content replaced."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = content if info.filename == name else src.read(info.filename)
            dst.writestr(info.filename, data)
    return out.getvalue()


ENTITY_BOMB = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>
</worksheet>
"""


def _zip_bomb() -> bytes:
    """An xlsx-looking zip whose sheet unpacks to 64 MiB of zeros (ratio ~1000:1)."""
    good = _xlsx(BASIC, header=HEADER_ZH)
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with dst.open(info.filename, "w", force_zip64=True) as fh:
                    block = b"\0" * (1 << 20)
                    for _ in range(64):
                        fh.write(block)
            else:
                dst.writestr(info.filename, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    """Write every sample file."""
    files: dict[str, bytes] = {
        "gbk.csv": _csv(BASIC).encode("gbk"),
        "utf8_bom.csv": _csv(BASIC).encode("utf-8-sig"),
        "utf8.csv": _csv(BASIC).encode("utf-8"),
        "undecodable.csv": _csv(BASIC).encode("utf-8")[:120]
        + b"\x80\xff\xfe"
        + _csv(BASIC).encode("utf-8")[120:],
        "missing_column.csv": _csv(
            [[r[0], r[1], r[3], r[4]] for r in BASIC],
            header=["项目编号", "项目名称", "建设地点", "总投资"],
        ).encode("utf-8"),
        "amounts.csv": _csv(AMOUNTS).encode("utf-8"),
        "amounts_wan.csv": _csv(
            [["W-01", "万元表头", "潞州区", "", "53900", "在建", "能源", "", *LUZHOU, ""]],
            header=[*HEADER_ZH[:4], "总投资（万元）", *HEADER_ZH[5:]],
        ).encode("utf-8"),
        "swapped.csv": _csv(SWAPPED).encode("utf-8"),
        "outside.csv": _csv(OUTSIDE).encode("utf-8"),
        "legacy_counties.csv": _csv(LEGACY).encode("gb18030"),
        "duplicates.csv": _csv(DUPLICATES).encode("utf-8"),
        "bad_coords.csv": _csv(BAD_COORDS).encode("utf-8"),
        "geocode.csv": _csv(GEOCODE).encode("utf-8"),
        "vocabulary.csv": _csv(VOCAB).encode("utf-8"),
        "gcj02.csv": _csv(_gcj_rows()).encode("utf-8"),
        "english_headers.xlsx": _xlsx(
            [
                [
                    "E-1",
                    "English header project",
                    "Luzhou",
                    "",
                    2.5,
                    "construction",
                    "industry",
                    "electronics",
                    113.1163,
                    36.1955,
                    "",
                ]
            ],
            header=[
                "Project ID",
                "Name",
                "County",
                "Location",
                "Investment",
                "Stage",
                "Category",
                "Subcategory",
                "Longitude",
                "Latitude",
                "Company",
            ],
            title="2025年重点项目（测试）",
        ),
        "basic.xlsx": _xlsx(BASIC, header=HEADER_ZH),
        "entity_bomb.xlsx": _replace_part(
            _xlsx(BASIC, header=HEADER_ZH), "xl/worksheets/sheet1.xml", ENTITY_BOMB
        ),
        "zip_bomb.xlsx": _zip_bomb(),
        "csv_named.xlsx": _csv(BASIC).encode("utf-8"),
        "xlsx_named.csv": _xlsx(BASIC, header=HEADER_ZH),
    }
    for name, data in files.items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
