"""Checklist and recommendation data files and their validating loader (see SCHEMA.md)."""
