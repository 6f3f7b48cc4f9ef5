"""Scheduling helpers: the cross-region slot finder."""
