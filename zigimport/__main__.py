"""``python -m zigimport``: the command line (zigimport/integrations/cli.py)."""

import sys

if __name__ == "__main__":
    from .integrations.cli import main

    sys.exit(main())
