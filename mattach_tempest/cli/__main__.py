import sys

from mattach_tempest.cli import main

sys.exit(main.main())
