"""`python -m projections run|status|rebuild`: the projections CLI without the web dependencies."""

from api.cli_projections import projections_cli

if __name__ == "__main__":
    projections_cli(prog_name="projections")
