"""Widgets shared by the kiosks: the result panel and the admin PIN dialog."""
