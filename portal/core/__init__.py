"""Shared machinery that knows no feature."""
