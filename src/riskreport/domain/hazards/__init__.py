"""The hazards, one folder each (``heat_wave/`` ... ``typhoon/``), listed in :mod:`.registry`.

Shared pieces: :mod:`.base` (what a hazard is made of), :mod:`.block` (its report inputs),
:mod:`.flood_family`, :mod:`.seasonal_days` and :mod:`.spei` (machinery several hazards use).
"""
