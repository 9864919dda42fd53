"""Run by zipindex.pth at start-up when ZIPINDEX_HOOK=1: install the hook.

The .pth line itself only reads the environment, so start-up without the
variable costs microseconds and imports nothing.
"""

import zipindex

zipindex.install()
