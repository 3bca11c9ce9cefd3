"""kpi_utils: the online-dossier KPI of Hòa Bình province (targets, counts, KPI table, reports)."""

__version__ = "0.1.0"
