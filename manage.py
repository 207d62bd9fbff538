#!/usr/bin/env python
"""Django's usual entry point; the same as the `portalwerk` command."""

import sys

if __name__ == "__main__":
    from portalwerk.platform.cli import main

    sys.exit(main())
