"""One faceted full-text search for every registry, aware of the six UN languages."""
