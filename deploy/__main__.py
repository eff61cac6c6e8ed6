"""``python -m deploy``: see ``deploy.control``."""

import sys

from deploy.control import main

sys.exit(main())
