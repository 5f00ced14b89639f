"""Layers: turns GeoDataFrames into Folium layers, legends and static print maps."""
