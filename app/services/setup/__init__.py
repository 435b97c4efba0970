"""What a year is built from: units and indicator systems."""
