"""Plain streamlit-folium apps the app benchmark compares ours with (bench_app_browser)."""
