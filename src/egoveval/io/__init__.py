"""Reading inputs (CSV in any Chinese encoding, XLSX) and writing outputs safely."""
