"""The service desk's panes, one job each."""
