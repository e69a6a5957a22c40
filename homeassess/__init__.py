"""HomeAssess: occupational therapy home and workplace assessments."""

__version__ = "0.1.0"
