"""What every stage shares.

In: nothing but the registry files under `data/`. Out: the 27 units and every way people name them
(`registry`, `names`), where the data and sample files are (`paths`), problems that carry file, row,
column and value (`problems`), and atomic file writes (`outputs`). Imports nothing else of kpi_utils.
"""
