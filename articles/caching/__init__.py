"""What the caches in front keep: surrogate keys on public responses, and purging them when a
change makes pages stale. Called by the workflow, so every way a story changes purges alike."""
