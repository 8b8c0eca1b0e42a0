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

"""The preflight's link to a live cloud, through tempest itself.

tempest.conf is read by tempest.config (so every default, every plugin's
options and the suite's own view of the file are exactly what `tempest run`
gets), the credentials go through tempest.common.credentials_factory and
tempest.lib.auth, and every question is asked with a tempest.lib service
client from tempest.clients.Manager: the preflight speaks to the cloud as
the suite does.

Errors are translated here, once: failures that stop the whole preflight
become common.BadInput (one line), failures of one question become the
probe errors of the preflight's model.
"""

import contextlib
import os
import re
import socket

import urllib3
import yaml

from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import model

# Traits need placement microversion 1.6.
PLACEMENT_TRAITS_MICROVERSION = '1.6'


def describe_connection_error(exc):
    """'connection refused' from urllib3's nested error texts."""
    text = str(getattr(exc, 'reason', None) or exc)
    match = re.search(r'\[Errno -?\d+\] ([^"\')]+)', text)
    if match:
        return match.group(1).strip().lower()
    if isinstance(exc, (socket.timeout, urllib3.exceptions.TimeoutError)) \
            or 'timed out' in text.lower():
        return 'timed out'
    return text.splitlines()[0] if text else type(exc).__name__


def _first_line(exc):
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _rest_error_text(exc):
    """'404 Not Found: <details>' from a tempest RestClientException."""
    from tempest.lib import exceptions as lib_exc
    status = getattr(getattr(exc, 'resp', None), 'status', None)
    details = ''
    if isinstance(exc, lib_exc.RestClientException):
        body = getattr(exc, 'resp_body', None)
        if isinstance(body, dict):
            details = body.get('message') or body.get('detail') or ''
            if not details and len(body) == 1:
                inner = next(iter(body.values()))
                if isinstance(inner, dict):
                    details = inner.get('message', '')
        elif body:
            details = str(body)
    details = ' '.join(str(details).split())[:160]
    if details == str(status):
        details = ''
    head = '%s %s' % (status, type(exc).__name__) if status else \
        type(exc).__name__
    return '%s: %s' % (head, details) if details else head


@contextlib.contextmanager
def translated(what):
    """Turn tempest/urllib3 errors of one question into probe errors."""
    from tempest.lib import exceptions as lib_exc
    try:
        yield
    except (lib_exc.Forbidden, lib_exc.Unauthorized) as exc:
        raise model.Hidden('%s: %s' % (what, _rest_error_text(exc)))
    except lib_exc.NotFound as exc:
        raise model.NotFound('%s: %s' % (what, _rest_error_text(exc)))
    except lib_exc.EndpointNotFound as exc:
        raise model.NoEndpoint('%s: no endpoint in the catalog (%s)' % (
            what, _first_line(exc)))
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise model.Unreachable('%s: endpoint unreachable: %s' % (
            what, describe_connection_error(exc)))
    except lib_exc.TempestException as exc:
        raise model.ApiError('%s: %s' % (what, _rest_error_text(exc)))
    except (ValueError, KeyError, TypeError) as exc:
        raise model.ApiError('%s: unexpected answer: %s' % (
            what, _first_line(exc)))


class LiveProbe:
    """The questions the checks ask, answered by tempest's clients."""

    def __init__(self, manager):
        self.manager = manager

    def compute_versions(self):
        with translated('compute versions'):
            return self.manager.compute_versions_client.list_versions()[
                'versions']

    def volume_versions(self):
        with translated('volume versions'):
            return self.manager.volume_versions_client_latest.list_versions(
            )['versions']

    def volume_types(self):
        with translated('volume types'):
            return self.manager.volume_types_client_latest.list_volume_types(
            )['volume_types']

    def volume_type(self, type_id):
        with translated('volume type %s' % type_id):
            return self.manager.volume_types_client_latest.show_volume_type(
                type_id)['volume_type']

    def image(self, image_id):
        with translated('image %s' % image_id):
            return self.manager.image_client_v2.show_image(image_id)

    def flavor(self, flavor_id):
        with translated('flavor %s' % flavor_id):
            return self.manager.flavors_client.show_flavor(flavor_id)[
                'flavor']

    def networks_named(self, name):
        with translated('networks'):
            return self.manager.networks_client.list_networks(name=name)[
                'networks']

    def pools(self):
        with translated('scheduler-stats get_pools'):
            return self.manager.volume_scheduler_stats_client_latest.\
                list_pools(detail=True)['pools']

    def hypervisors(self):
        with translated('hypervisors'):
            return self.manager.hypervisor_client.list_hypervisors(
                detail=True)['hypervisors']

    def resource_providers(self):
        with translated('placement resource providers'):
            return self.manager.resource_providers_client.\
                list_resource_providers()['resource_providers']

    def provider_traits(self, rp_uuid):
        from tempest.lib.services.placement import base_placement_client
        before = base_placement_client.PLACEMENT_MICROVERSION
        base_placement_client.PLACEMENT_MICROVERSION = (
            PLACEMENT_TRAITS_MICROVERSION)
        try:
            with translated('placement traits'):
                return self.manager.resource_providers_client.\
                    list_resource_provider_traits(rp_uuid)['traits']
        finally:
            base_placement_client.PLACEMENT_MICROVERSION = before


# -- tempest.conf -------------------------------------------------------------

def load_tempest_config(config_file):
    """tempest.config.CONF loaded from config_file, quietly.

    With no log_file in tempest.conf oslo.log logs to stdout: the handler
    made while loading keeps the stream it got, so hand it /dev/null and
    keep the table (or JSON) alone on stdout.
    """
    from oslo_config import cfg
    from tempest import config
    config.CONF.set_config_path(config_file)
    devnull = open(os.devnull, 'w')
    try:
        with contextlib.redirect_stdout(devnull), \
                contextlib.redirect_stderr(devnull):
            config.CONF.auth   # the first attribute loads the file
    except cfg.Error as exc:
        raise common.BadInput('cannot read %s: %s' % (
            config_file, _first_line(exc)))
    except Exception as exc:   # a broken tempest plugin, an unreadable file
        raise common.BadInput('cannot load tempest configuration %s: %s: %s'
                              % (config_file, type(exc).__name__,
                                 _first_line(exc)))
    return config.CONF


def load_accounts(path):
    """The accounts file as a list of dicts; BadInput when unusable."""
    try:
        with open(path) as f:
            accounts = yaml.safe_load(f)
    except OSError as exc:
        raise common.BadInput('cannot read accounts file %s: %s' % (
            path, exc.strerror or exc))
    except yaml.YAMLError as exc:
        raise common.BadInput('accounts file %s is not YAML: %s' % (
            path, _first_line(exc)))
    if not isinstance(accounts, list) or not all(
            isinstance(a, dict) and a.get('username') for a in accounts):
        raise common.BadInput('accounts file %s is not a list of accounts '
                              'with a username each' % path)
    return accounts


def settings_from_conf(conf, config_file):
    """model.Settings from a loaded tempest configuration."""
    from oslo_config import cfg
    try:
        auth = conf.auth
        accounts = []
        if not auth.use_dynamic_credentials and auth.test_accounts_file:
            accounts = load_accounts(auth.test_accounts_file)
        return model.Settings(
            config_file=config_file,
            cinder_available=conf.service_available.cinder,
            volume_multiattach=conf.compute_feature_enabled.volume_multiattach,
            compute_max_microversion=conf.compute.max_microversion,
            volume_max_microversion=conf.volume.max_microversion,
            volume_type_multiattach=conf.volume.volume_type_multiattach,
            volume_type=conf.volume.volume_type,
            create_multiattach_type=_mattach_opt(
                conf, 'create_multiattach_type', False),
            admin_configured=bool(auth.admin_username and
                                  auth.admin_password),
            use_dynamic_credentials=auth.use_dynamic_credentials,
            accounts_file=auth.test_accounts_file,
            accounts=accounts,
            admin_role=conf.identity.admin_role,
            image_ref=conf.compute.image_ref,
            flavor_ref=conf.compute.flavor_ref,
            flavor_ref_alt=conf.compute.flavor_ref_alt,
            resize=conf.compute_feature_enabled.resize,
            fixed_network_name=conf.compute.fixed_network_name,
            run_validation=conf.validation.run_validation,
            network_for_ssh=conf.validation.network_for_ssh,
            extend_attached_volume=(
                conf.volume_feature_enabled.extend_attached_volume),
            known_defects=list(_mattach_opt(conf, 'known_defects', [])),
        )
    except cfg.Error as exc:
        raise common.BadInput('bad value in %s: %s' % (
            config_file, _first_line(exc)))


def _mattach_opt(conf, name, default):
    group = getattr(conf, 'mattach', None)
    return getattr(group, name, default) if group is not None else default


# -- credentials --------------------------------------------------------------

ACCOUNT_FIELDS = ('username', 'password', 'project_name', 'tenant_name',
                  'domain_name', 'user_domain_name', 'project_domain_name',
                  'project_id', 'user_id', 'system')


def choose_credentials(settings, conf):
    """(kind, fields or None, description): whose eyes the preflight uses.

    Admin from [auth] admin_* when set (fields None: tempest reads them);
    else an admin account of the accounts file; else its first account,
    the primary credentials a certification run would use.
    """
    if settings.admin_configured:
        return ('admin', None, "admin '%s' of project '%s' ([auth] admin_*)"
                % (conf.auth.admin_username, conf.auth.admin_project_name))
    if not settings.accounts:
        raise common.BadInput(
            'no credentials in %s: set [auth] admin_username/admin_password/'
            'admin_project_name, or use_dynamic_credentials = False with '
            'test_accounts_file' % settings.config_file)
    admins = [a for a in settings.accounts if settings.account_is_admin(a)]
    kind, account = (('admin', admins[0]) if admins
                     else ('primary', settings.accounts[0]))
    fields = account_fields(account)
    return (kind, fields, "%s '%s' of project '%s' (accounts file %s)" % (
        kind, account.get('username'), fields.get('project_name'),
        settings.accounts_file))


def account_fields(account):
    """The credential fields of an accounts file entry, for tempest."""
    fields = {k: v for k, v in account.items() if k in ACCOUNT_FIELDS}
    if 'tenant_name' in fields:
        fields.setdefault('project_name', fields.pop('tenant_name'))
    return fields


def authenticate(conf, kind, fields):
    """Filled-in tempest credentials; BadInput with the reason if refused."""
    from tempest.common import credentials_factory
    from tempest.lib import exceptions as lib_exc
    uri = (conf.identity.uri_v3 if conf.identity.auth_version == 'v3'
           else conf.identity.uri)
    if not uri:
        raise common.BadInput('no identity endpoint: set [identity] uri_v3')
    try:
        if fields is None:
            return credentials_factory.get_configured_admin_credentials(
                fill_in=True)
        return credentials_factory.get_credentials(fill_in=True, **fields)
    except lib_exc.Unauthorized:
        who = (fields or {}).get('username') or conf.auth.admin_username
        raise common.BadInput(
            "identity %s refused the %s credentials of user '%s' (401): "
            "wrong username, password, project or domain" % (uri, kind, who))
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise common.BadInput('identity endpoint %s unreachable: %s' % (
            uri, describe_connection_error(exc)))
    except lib_exc.IdentityError as exc:
        raise common.BadInput('identity endpoint %s did not answer as '
                              'keystone %s: %s' % (
                                  uri, conf.identity.auth_version,
                                  ' '.join(str(exc).split())))
    except lib_exc.TempestException as exc:
        raise common.BadInput('cannot authenticate at %s: %s' % (
            uri, ' '.join(str(exc).split())))


def bound_http_timeout(conf, timeout):
    """Every HTTP request of tempest's clients waits at most `timeout` s.

    tempest hands [service-clients] http_timeout (default 60) to the
    identity client and to every service client (service_client_config());
    an explicit --timeout replaces it, None keeps tempest.conf's.
    """
    if timeout is not None:
        conf.set_override('http_timeout', timeout, group='service-clients')


def connect(config_file, timeout):
    """(settings, probe, is_admin, who) for the preflight command."""
    conf = load_tempest_config(config_file)
    bound_http_timeout(conf, timeout)
    settings = settings_from_conf(conf, config_file)
    kind, fields, who = choose_credentials(settings, conf)
    credentials = authenticate(conf, kind, fields)
    from tempest import clients
    try:
        manager = clients.Manager(credentials)
    except Exception as exc:
        raise common.BadInput('cannot build tempest clients from %s: %s' % (
            config_file, _first_line(exc)))
    return settings, LiveProbe(manager), kind == 'admin', '%s at %s' % (
        who, conf.identity.uri_v3 or conf.identity.uri)
