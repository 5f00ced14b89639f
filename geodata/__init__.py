"""Data layer: boundaries, register, gazetteer, geocoding, coordinate systems, joins, stores."""
