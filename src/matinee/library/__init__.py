"""library package."""
