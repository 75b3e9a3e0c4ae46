"""Data shipped with Outage Radar: the service catalog, icons and desktop files."""
