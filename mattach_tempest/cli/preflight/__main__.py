import sys

from mattach_tempest.cli.preflight import command

sys.exit(command.main())
