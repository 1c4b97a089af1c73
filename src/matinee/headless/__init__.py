"""headless package."""
