"""Import speed for a 25,000-row staff spreadsheet, as CSV (GB18030) and XLSX.

The spreadsheet is built from :func:`bench.synthetic.synthetic_projects` in
the shape staff send: Chinese headers, amounts written in mixed forms
(``5.39亿元``, ``3000万元``, full-width digits, bare numbers, ``待定``),
county names partly pre-2018, 10 % of rows without coordinates (geocoded
offline from county and location text; 5 % of those with nothing to find,
left for review) and 20 % in GCJ-02 marked in a 坐标系 column. Prints the
time of each step; aim: < 10 s per file including geocoding.

Usage: ``.venv/bin/python -m bench.bench_ingest [N]``
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from bench.synthetic import synthetic_projects
from geodata.auth import system_identity
from geodata.coords import convert
from geodata.divisions import BY_ADCODE
from geodata.i18n import Lang, label
from geodata.ingest import commit_import, import_table
from geodata.schema import Category, Stage, Subcategory
from geodata.store import create_store

N_ROWS = 25_000
NO_COORD_SHARE = 0.10
GCJ_SHARE = 0.20
LEGACY = {"140403": "郊区", "140404": "长治县", "140405": "屯留县", "140406": "潞城市"}
PLACES = ("八路军文化旅游景区", "漳泽湖", "上党门", "某某村", "工业园区")


def _amount(value: float, kind: int) -> str:
    """Write an amount the way staff do."""
    if kind == 0:
        return f"{value:.2f}亿元"
    if kind == 1:
        return f"{value * 1e4:.0f}万元"
    if kind == 2:
        wan = f"{value * 1e4:,.0f}"
        return wan.translate(str.maketrans("0123456789,", "０１２３４５６７８９，")) + "万元"
    if kind == 3:
        return f"{value:.2f}"
    return "待定"


def staff_sheet(n: int) -> pd.DataFrame:
    """Build a staff-style sheet with Chinese headers."""
    gdf = synthetic_projects(n, seed=1)
    rng = np.random.default_rng(7)
    lon = gdf["lon"].to_numpy()
    lat = gdf["lat"].to_numpy()
    gcj = rng.random(n) < GCJ_SHARE
    glon, glat = convert(lon=lon[gcj], lat=lat[gcj], src="wgs84", dst="gcj02")
    lon_out = lon.astype(object)
    lat_out = lat.astype(object)
    lon_out[gcj] = np.round(glon, 6)
    lat_out[gcj] = np.round(glat, 6)
    missing = rng.random(n) < NO_COORD_SHARE
    lon_out[missing] = ""
    lat_out[missing] = ""
    kinds = rng.choice(5, size=n, p=[0.35, 0.3, 0.1, 0.2, 0.05])
    legacy = rng.random(n) < 0.3
    counties = [
        LEGACY[a] if old and a in LEGACY else BY_ADCODE[a].name_zh
        for a, old in zip(gdf["county_adcode"], legacy, strict=True)
    ]
    places = rng.choice(len(PLACES), size=n)
    location = [
        f"{c}{PLACES[p]}" if m else c for c, p, m in zip(counties, places, missing, strict=True)
    ]
    # a few rows without coordinates, county or a findable place: left for review
    lost = missing & (rng.random(n) < 0.05)
    for i in np.flatnonzero(lost):
        counties[i] = ""
        location[i] = "地点待定"
    return pd.DataFrame(
        {
            "项目编号": gdf["id"],
            "项目名称": gdf["name_zh"],
            "所在县区": counties,
            "建设地点": location,
            "总投资": [_amount(v, k) for v, k in zip(gdf["investment_yi"], kinds, strict=True)],
            "建设阶段": [label(Stage(s), Lang.ZH) for s in gdf["stage"]],
            "类别": [label(Category(c), Lang.ZH) for c in gdf["category"]],
            "子类": [label(Subcategory(s), Lang.ZH) for s in gdf["subcategory"]],
            "经度": lon_out,
            "纬度": lat_out,
            "坐标系": np.where(gcj, "GCJ-02", "WGS84"),
            "建设单位": "合成数据",
        }
    )


def to_xlsx(sheet: pd.DataFrame) -> bytes:
    """Write the sheet as XLSX with numbers as numbers."""
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("项目表")
    ws.append(list(sheet.columns))
    for row in sheet.itertuples(index=False):
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else N_ROWS
    t0 = time.perf_counter()
    sheet = staff_sheet(n)
    csv_bytes = sheet.to_csv(index=False).encode("gb18030")
    xlsx_bytes = to_xlsx(sheet)
    print(f"built {n} rows in {time.perf_counter() - t0:.1f} s")
    print(
        f"  csv (gb18030): {len(csv_bytes) / 2**20:.1f} MiB; "
        f"xlsx: {len(xlsx_bytes) / 2**20:.1f} MiB"
    )
    results = {}
    for name, data in (("staff.csv", csv_bytes), ("staff.xlsx", xlsx_bytes)):
        t = time.perf_counter()
        result = import_table(data, filename=name)
        took = time.perf_counter() - t
        counts = result.report.counts()
        print(
            f"import_table {name}: {took:.2f} s ({n / took:,.0f} rows/s); "
            f"accepted {result.report.accepted}, rejected {len(result.report.rejected)}, "
            f"statuses {counts}"
        )
        results[name] = result
    with tempfile.TemporaryDirectory() as tmp:
        store = create_store(Path(tmp) / "bench.gpkg")
        who = system_identity("bench").author()
        t = time.perf_counter()
        version = commit_import(results["staff.csv"], store=store, author=who, base_version=1)
        print(f"store commit (version {version}): {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        gdf = store.projects()
        print(f"store read {len(gdf)} projects: {time.perf_counter() - t:.2f} s")
        t = time.perf_counter()
        store.set_location(gdf["id"].iloc[0], lon=113.0, lat=36.3, author=who, base_version=version)
        print(f"store single edit (reads and writes one row): {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
