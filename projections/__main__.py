"""`python -m projections run|status|rebuild`: the projections CLI (projections/cli.py) without the web app."""

from projections.cli import projections_cli

if __name__ == "__main__":
    projections_cli(prog_name="projections")
