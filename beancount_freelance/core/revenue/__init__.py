"""Revenue: lines, lifecycle, concentration, replacement, streams, movements."""
