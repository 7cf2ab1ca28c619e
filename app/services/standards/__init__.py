"""Live standards for planners' tools (DESIGN.md §10): OGC API, vector tiles, Open311."""
