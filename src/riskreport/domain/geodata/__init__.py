"""What the packaged tables say about a place: grids derived from observations by ``make data``.

Each topic module (coast, typhoon wind, climate, ...) reads its table through :mod:`.grid` and
answers for arrays of points, so one building and a portfolio take the same path.
"""
