"""Open311 GeoReport v2: civic apps (partners with an api_key) file and follow complaints."""
