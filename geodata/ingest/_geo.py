"""GeoJSON and GeoPackage files as rows of text, point geometry into lon/lat columns.

Both readers check the row, column and cell limits before building rows;
the point geometry wins over ``lon``/``lat`` attribute columns (a point
moved in a GIS keeps its new place). Only point features are read.
"""

from __future__ import annotations

import io
import json
import math
import warnings

import numpy as np
import pandas as pd
import shapely

from geodata.i18n import bilingual
from geodata.ingest import _limits
from geodata.ingest._headers import match_header
from geodata.ingest._text import DecodeError, IngestError, decode_text, number_text

Rows = list[tuple[int, list[str]]]
_WGS84_NAMES = ("CRS84", "EPSG:4326", "EPSG::4326")
GPKG_LAYER = "projects"


def _cell(value: object) -> str:
    """Render an attribute value as cell text (missing values are ``""``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return number_text(value)


def _check_size(n_rows: int, n_columns: int) -> None:
    """Refuse a feature collection beyond the row, column or cell limits."""
    if n_rows > _limits.MAX_IMPORT_ROWS:
        raise IngestError(_limits.too_many_rows())
    if n_columns > _limits.MAX_IMPORT_COLUMNS:
        raise IngestError(_limits.too_many_columns("ingest_where_properties", n=n_columns))
    if n_rows * n_columns > _limits.MAX_IMPORT_CELLS:
        raise IngestError(_limits.too_many_cells())


def _with_points(
    header: list[str], body: list[list[str]], lon: list[float], lat: list[float]
) -> Rows:
    """Put the points into the lon/lat columns (added when missing); header is row 1."""
    fields = [match_header(h) for h in header]
    header = list(header)
    for name in ("lon", "lat"):
        if name not in fields:
            header.append(name)
            fields.append(name)
            for cells in body:
                cells.append("")
    x, y = fields.index("lon"), fields.index("lat")
    for cells, px, py in zip(body, lon, lat, strict=True):
        if not math.isnan(px):
            cells[x], cells[y] = number_text(px), number_text(py)
    return [(1, header), *((k + 2, cells) for k, cells in enumerate(body))]


def _properties(feature: object) -> dict[str, object]:
    """Return a feature's properties keyed by text (empty when it has none)."""
    props = feature.get("properties") if isinstance(feature, dict) else None
    return {str(k): v for k, v in props.items()} if isinstance(props, dict) else {}


def _feature_point(feature: object) -> tuple[float, float]:
    """Return a feature's point (``nan`` without geometry); other geometries are refused."""
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if geometry is None:
        return math.nan, math.nan
    coords = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        raise IngestError(bilingual("ingest_geojson_not_point"))
    if not isinstance(coords, list) or len(coords) < 2:
        raise IngestError(bilingual("ingest_geojson_bad_point"))
    try:
        return float(coords[0]), float(coords[1])
    except (TypeError, ValueError):
        raise IngestError(bilingual("ingest_geojson_point_nan")) from None


def _load_json(data: bytes) -> dict:
    """Parse GeoJSON text after bounding how many values it may build."""
    try:
        text, _ = decode_text(data)
    except DecodeError as exc:
        raise IngestError(str(exc)) from None
    tokens = text.count(",") + text.count("[") + text.count("{")
    if tokens > _limits.MAX_IMPORT_CELLS:
        raise IngestError(_limits.too_many_cells())
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise IngestError(bilingual("ingest_geojson_malformed", error=str(exc)[:80])) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise IngestError(bilingual("ingest_geojson_not_collection"))
    crs = json.dumps(doc.get("crs", "CRS84"))
    if not any(name in crs for name in _WGS84_NAMES):
        raise IngestError(bilingual("ingest_geojson_crs"))
    return doc


def geojson_rows(data: bytes) -> Rows:
    """Read a GeoJSON FeatureCollection of points into numbered rows of text."""
    features = _load_json(data)["features"]
    keys: dict[str, None] = {}
    for feature in features:
        keys.update(dict.fromkeys(map(str, _properties(feature))))
        _check_size(len(features), len(keys))
    header = list(keys)
    body, lon, lat = [], [], []
    for feature in features:
        props = _properties(feature)
        body.append([_cell(props.get(k)) for k in header])
        x, y = _feature_point(feature)
        lon.append(x)
        lat.append(y)
    return _with_points(header, body, lon, lat)


def _gpkg_frame(data: bytes) -> tuple[pd.DataFrame, str]:
    """Read the projects layer (or the first) of a GeoPackage after checking its size."""
    import pyogrio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(io.BytesIO(data))]
            if not layers:
                raise IngestError(bilingual("ingest_gpkg_no_layer"))
            layer = GPKG_LAYER if GPKG_LAYER in layers else layers[0]
            info = pyogrio.read_info(io.BytesIO(data), layer=layer)
            _check_size(int(info["features"]), len(info["fields"]) + 2)
            frame = pyogrio.read_dataframe(io.BytesIO(data), layer=layer)
        except IngestError:
            raise
        except Exception as exc:
            raise IngestError(bilingual("ingest_gpkg_unreadable", error=exc)) from None
    return frame, layer


def gpkg_rows(data: bytes) -> tuple[Rows, str]:
    """Read a GeoPackage layer of points into numbered rows of text and the layer name."""
    frame, layer = _gpkg_frame(data)
    lon = np.full(len(frame), np.nan)
    lat = np.full(len(frame), np.nan)
    if "geometry" in frame:
        if frame.crs is not None and frame.crs.to_epsg() != 4326:
            frame = frame.to_crs(4326)
        geom = np.asarray(frame.geometry.array, dtype=object)
        has = ~(shapely.is_missing(geom) | shapely.is_empty(geom))
        if (shapely.get_type_id(geom[has]) != 0).any():
            raise IngestError(bilingual("ingest_gpkg_not_point"))
        lon[has], lat[has] = shapely.get_x(geom[has]), shapely.get_y(geom[has])
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    header = [str(c) for c in frame.columns]
    body = [[_cell(v) for v in record] for record in frame.itertuples(index=False, name=None)]
    return _with_points(header, body, list(lon), list(lat)), layer
