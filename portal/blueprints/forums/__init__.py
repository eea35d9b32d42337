"""Forums: categories, threads and replies that work with a screen reader and on a slow link."""
