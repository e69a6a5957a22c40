"""Report view-models (plain data) and their ReportLab renderers. No Qt, no SQLAlchemy."""
