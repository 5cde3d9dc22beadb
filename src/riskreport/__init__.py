"""riskreport: physical climate-risk reports for buildings."""
