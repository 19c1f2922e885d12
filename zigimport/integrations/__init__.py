"""Tools around the import hook: the command line, notebooks, the pytest plugin (each imported only when used)."""
