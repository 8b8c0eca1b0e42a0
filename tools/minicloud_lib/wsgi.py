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

"""gunicorn application factories for minicloud's API services.

Every OpenStack WSGI entry point parses sys.argv with oslo.config when
imported and dies on gunicorn's own arguments. Each factory below resets
sys.argv before importing the service's stock WSGI module. Config locations
come from the environment the launcher sets (OS_KEYSTONE_CONFIG_FILES,
OS_PLACEMENT_CONFIG_DIR, OS_GLANCE_CONFIG_DIR, OS_NOVA_CONFIG_DIR,
OS_NEUTRON_CONFIG_DIR); cinder only takes --config-file, from
MINICLOUD_CINDER_CONF.
gunicorn ... 'minicloud_lib.wsgi:keystone()'
"""
import importlib
import os
import sys


def _application(prog, module, argv=()):
    sys.argv = [prog] + list(argv)
    return importlib.import_module(module).application


def keystone():
    return _application('keystone', 'keystone.wsgi.api')


def placement():
    return _application('placement-api', 'placement.wsgi.api')


def glance():
    return _application('glance-api', 'glance.wsgi.api')


def nova():
    return _application('nova-api', 'nova.wsgi.osapi_compute')


def cinder():
    app = _application('cinder-api', 'cinder.wsgi.api',
                       ['--config-file', os.environ['MINICLOUD_CINDER_CONF']])
    # cinder makes its policy enforcer at the first request, publishing it
    # before registering its rules: a second thread's request meanwhile
    # fails with "Policy context_is_admin has not been registered" (500).
    # gunicorn's threads make that race real; make the enforcer before
    # serving.
    from cinder import policy
    policy.init()
    return app


def neutron():
    app = _application('neutron-api', 'neutron.wsgi.api')
    # GET /v2.0/ports reads Port.port_forwardings, a backref that exists
    # only once the port_forwarding model is imported and SQLAlchemy has
    # configured its mappers. The API alone (no RPC workers, no L3 plugin)
    # may do neither before the first port listing: neutron answers 500
    # ("type object 'Port' has no attribute 'port_forwardings'") and nova
    # turns that into 500s on server calls. Import every object (hence
    # every model) and configure the mappers before serving.
    from neutron import objects
    from sqlalchemy import orm
    objects.register_objects()
    orm.configure_mappers()
    return app
