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

"""Where minicloud keeps things and which ports it uses.

One place for every path and port so that `up`, `down`, `status` and the
config renderer cannot disagree. Everything lives under `<repo>/.minicloud`
(git-ignored); nothing is written elsewhere except apt packages.
"""
import os

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TOOLS)
STATE = os.path.join(REPO, '.minicloud')
VENV = os.path.join(STATE, 'venv')
VBIN = os.path.join(VENV, 'bin')
ETC = os.path.join(STATE, 'etc')
LOGS = os.path.join(STATE, 'logs')
RUN = os.path.join(STATE, 'run')          # sockets, daemons' own pid files
PIDS = os.path.join(RUN, 'pids')          # minicloud's pid files
DATA = os.path.join(STATE, 'data')        # databases, images, service state
TEMPEST = os.path.join(STATE, 'tempest')  # the tempest workspace
RESULTS = os.path.join(STATE, 'results')  # subunit streams, reports of `run`
CONSTRAINTS = os.path.join(TOOLS, 'minicloud-constraints.txt')

HOST = '127.0.0.1'

# Ports below the ephemeral range (32768+) and away from well-known ones.
# MINICLOUD_PORT_OFFSET shifts them all, for a second cloud on the same host
# (another checkout: the state dir is per checkout).
BASE_PORTS = {
    'mariadb': 29106,
    'rabbitmq': 29172,
    'rabbitmq-dist': 29173,
    'epmd': 29169,
    'keystone': 29135,
    'placement': 29178,
    'glance': 29192,
    'nova-api': 29174,
    'cinder-api': 29176,
    'neutron': 29196,
}


def port_offset(environ):
    """MINICLOUD_PORT_OFFSET of `environ`: 0 if unset.

    Anything but a whole number that keeps every port a TCP port exits
    with a one-line message (this runs as the CLI imports its modules).
    """
    text = environ.get('MINICLOUD_PORT_OFFSET', '').strip() or '0'
    highest = 65535 - max(BASE_PORTS.values())
    lowest = 1024 - min(BASE_PORTS.values())
    try:
        offset = int(text)
    except ValueError:
        offset = None
    if offset is None or not lowest <= offset <= highest:
        raise SystemExit('minicloud: MINICLOUD_PORT_OFFSET=%r: a whole '
                         'number from %d to %d' % (text, lowest, highest))
    return offset


def ports(offset):
    """{service: port} with every base port moved by `offset`."""
    return {name: port + offset for name, port in BASE_PORTS.items()}


PORT_OFFSET = port_offset(os.environ)
PORTS = ports(PORT_OFFSET)

ADMIN_PASSWORD = 'minicloud-admin'
SERVICE_PASSWORD = 'minicloud-service'
DB_PASSWORD = 'minicloud-db'
RABBIT_USER = 'minicloud'
RABBIT_PASSWORD = 'minicloud-rabbit'
# The one key of nova's and cinder's fixed-key managers (hex, 256 bits):
# both must hold the same, so that nova can open what cinder encrypted.
FIXED_KEY = '6d696e69636c6f75642d766f6c756d652d656e6372797074696f6e2d6b657921'
REGION = 'RegionOne'


def url(service, path=''):
    return 'http://%s:%d%s' % (HOST, PORTS[service], path)


def ensure_dirs():
    for d in (STATE, ETC, LOGS, RUN, PIDS, DATA, RESULTS):
        os.makedirs(d, exist_ok=True)
