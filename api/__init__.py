"""HTTP API, web pages and the command line: the edges of familjepool."""
