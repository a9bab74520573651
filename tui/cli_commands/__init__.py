"""Handlers of ``mishu`` subcommands, one module per area; see ``tui/cli.py``."""
