"""File storage next to the database: content-addressed photos and their derivatives."""
