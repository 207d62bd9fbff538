"""Forgets to register its plugin."""
