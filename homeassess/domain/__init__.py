"""Pure domain layer: values, vocabularies and rules. Imports nothing outside the standard library."""
