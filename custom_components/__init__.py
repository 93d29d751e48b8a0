"""Custom integrations of this repository (a package, so that Home Assistant finds them)."""
