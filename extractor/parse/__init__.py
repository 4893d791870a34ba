"""Parse: a ``Document`` → cells. The stages in the order data flows through them:

``normalise`` (Text with an offset map) → ``sections`` (the report's structure)
→ ``meta`` (agency, year, edition) → ``grids`` (each section's table as rows)
→ ``cells`` (rows matched to the template, values placed by ``alignment``)
→ ``checks`` (identities, flags, confidence, evidence). ``Draft`` is a cell
before checking; ``Extraction`` holds every stage's output.
"""
