"""The shipped generic equipment catalogue and the supplier CSV importer."""
