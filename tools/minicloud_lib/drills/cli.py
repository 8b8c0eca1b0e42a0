# Copyright 2026 The mattach-tempest Authors.
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.


"""The command line of tools/fault-drills: one subcommand per drill module.

Each drill module has `register(subparsers)`, which adds its subcommand
with `handler` set to the function that runs it (returning the exit
status: 0 the drill held, 1 it found a fault, 2 it could not run).
"""
import argparse
import sys

from .. import api
from .. import procs
from . import census
from . import decoys
from . import dying_service
from . import kill

DRILLS = (census, decoys, kill, dying_service)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='tools/fault-drills',
        description='Disturb a run of the suite on the running local cloud '
                    'and check what it leaves behind and what it says.')
    sub = parser.add_subparsers(dest='drill', required=True)
    for drill in DRILLS:
        drill.register(sub)
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (api.ApiError, procs.StartError, OSError) as e:
        print('fault-drills: ERROR: %s' % e, file=sys.stderr)
        return 2
