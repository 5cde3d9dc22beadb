"""The outlines of polygons cut into short pieces, for fast nearest-polygon queries.

The distance from a point outside a polygon to the polygon is its distance to the outline. A
coastal 읍면동 has thousands of vertices, so ``STRtree.query_nearest`` over whole polygons spends
its time measuring to every vertex of every candidate; over pieces of at most ``PIECE`` vertices
the tree prunes almost all of them, and the answer is the same.

>>> import shapely
>>> square = shapely.box(0.0, 0.0, 1.0, 1.0)
>>> edges = Edges(np.array([square], dtype=object), piece=3)
>>> len(edges.pieces), edges.owner.tolist()
(2, [0, 0])
>>> edges.nearest(np.array([shapely.Point(2.0, 0.5)], dtype=object), 5.0)[1].tolist()
[0]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely

from riskreport.domain.array import IntArray

PIECE = 32  # vertices per piece: measured, 16-64 are alike


class Edges:
    """Pieces of every ring of ``geoms`` with the index of the polygon each belongs to."""

    def __init__(self, geoms: npt.NDArray[np.object_], piece: int = PIECE) -> None:
        parts, part_owner = shapely.get_parts(geoms, return_index=True)
        rings, ring_part = shapely.get_rings(parts, return_index=True)
        coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
        n = np.bincount(coord_ring, minlength=len(rings))  # closed rings: first == last
        start = np.concatenate([[0], np.cumsum(n)[:-1]])
        step = piece - 1
        count = np.maximum((n - 2) // step + 1, 1)  # pieces per ring, sharing their end vertices
        ring_of_piece = np.repeat(np.arange(len(rings)), count)
        first = np.concatenate([[0], np.cumsum(count)[:-1]])
        j = np.arange(len(ring_of_piece)) - np.repeat(first, count)
        lo = start[ring_of_piece] + j * step
        hi = np.minimum(lo + piece, start[ring_of_piece] + n[ring_of_piece])
        length = hi - lo
        take = np.repeat(lo - np.concatenate([[0], np.cumsum(length)[:-1]]), length) + np.arange(
            length.sum()
        )
        self.pieces = shapely.linestrings(
            coords[take], indices=np.repeat(np.arange(len(lo)), length)
        )
        self.owner: IntArray = part_owner[ring_part[ring_of_piece]].astype(np.int64)
        self.tree = shapely.STRtree(self.pieces)

    def nearest(
        self, points: npt.NDArray[np.object_], max_distance: float
    ) -> tuple[IntArray, IntArray, npt.NDArray[np.object_]]:
        """(point index, polygon index, nearest piece) for points with a piece within reach."""
        which, piece = self.tree.query_nearest(points, max_distance=max_distance, all_matches=False)
        return which, self.owner[piece], self.pieces[piece]
