"""Bundled runtime assets (fonts), read through importlib.resources."""
