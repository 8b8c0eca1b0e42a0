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

"""The cleanup's link to a live cloud, through tempest's own clients.

tempest.conf, credentials and the HTTP timeout are handled as the
preflight does (cli/preflight/live.py); every request goes through a
tempest.lib service client of tempest.clients.Manager, cinder's
attachments API through this plugin's AttachmentsClient (3.27).

With [auth] admin_* the cleanup sees every project; without, it looks
with each account of the accounts file into that account's project.
"""

import contextlib

import urllib3

from mattach_tempest.cli.cleanup import removal
from mattach_tempest.cli import common
from mattach_tempest.cli.preflight import live as preflight_live

# Nova lists and deletes another user's keypairs from 2.10 on.
KEYPAIRS_OF_USER_MICROVERSION = '2.10'
PAGE = 500


@contextlib.contextmanager
def refusals(what):
    """tempest/urllib3 errors as removal.CloudError, one line."""
    from tempest.lib import exceptions as lib_exc
    try:
        yield
    except lib_exc.NotFound:
        raise
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise removal.CloudError('%s: endpoint unreachable: %s' % (
            what, preflight_live.describe_connection_error(exc)))
    except lib_exc.TempestException as exc:
        raise removal.CloudError('%s: %s' % (
            what, preflight_live._rest_error_text(exc)))


@contextlib.contextmanager
def compute_microversion(version):
    from tempest.lib.services.compute import base_compute_client
    before = base_compute_client.COMPUTE_MICROVERSION
    base_compute_client.COMPUTE_MICROVERSION = version
    try:
        yield
    finally:
        base_compute_client.COMPUTE_MICROVERSION = before


def paged(fetch):
    """Every item of a marker-paged listing: fetch(limit, marker)."""
    items, marker = [], None
    while True:
        page = fetch(PAGE, marker)
        items.extend(page)
        if len(page) < PAGE:
            return items
        marker = page[-1]['id']


class Account:
    """One set of credentials: its clients and the project it sees."""

    def __init__(self, manager, is_admin):
        from mattach_tempest.services.volume import attachments_client
        from tempest import config
        self.manager = manager
        self.is_admin = is_admin
        self.project_id = manager.credentials.project_id
        self.attachments_client = attachments_client.AttachmentsClient(
            manager.auth_provider, **config.service_client_config('volume'))


class LiveCloud:
    """Inventory and removal calls (see removal.py) on a live cloud."""

    def __init__(self, accounts, neutron):
        self.accounts = accounts
        self.admin = accounts[0] if accounts[0].is_admin else None
        self.neutron = neutron

    # -- inventory ----------------------------------------------------------

    def inventory(self):
        """kind -> [resource dicts] (see selection.py); CloudError."""
        inventory = {}
        if self.admin:
            self._identity(inventory)
            self._project_scoped(inventory, self.admin)
            with refusals('list volume types'):
                inventory['volume_type'] = [
                    _named(t) for t in
                    self.admin.manager.volume_types_client_latest.
                    list_volume_types(is_public='None')['volume_types']]
        else:
            for account in self.accounts:
                self._project_scoped(inventory, account)
        return inventory

    def suite_keypairs(self, inventory, user_ids):
        """Add the keypairs of the suite's users (admin) or own (not)."""
        keypairs = inventory.setdefault('keypair', [])
        if self.admin:
            for user_id in sorted(user_ids):
                keypairs.extend(self._keypairs(self.admin, user_id))
        else:
            for account in self.accounts:
                keypairs.extend(self._keypairs(account, None))

    def _identity(self, inventory):
        manager = self.admin.manager
        with refusals('list projects'):
            inventory['project'] = [
                _named(p) for p in
                manager.projects_client.list_projects()['projects']]
        with refusals('list users'):
            inventory['user'] = [
                _named(u) for u in
                manager.users_v3_client.list_users()['users']]

    def _project_scoped(self, inventory, account):
        manager = account.manager
        everyone = {'all_tenants': 1} if account.is_admin else {}
        own = account.project_id

        def add(kind, items):
            items = list(items)
            if not account.is_admin:
                for item in items:
                    item['project_id'] = own
            inventory.setdefault(kind, []).extend(items)

        with refusals('list servers'):
            add('server', (_named(s, project_id=s.get('tenant_id'))
                           for s in paged(lambda limit, marker: manager.
                                          servers_client.list_servers(
                                              detail=True, limit=limit,
                                              **_marker(marker, everyone))[
                                              'servers'])))
        with refusals('list volumes'):
            add('volume', (_volume(v) for v in paged(
                lambda limit, marker: manager.volumes_client_latest.
                list_volumes(detail=True, params=dict(
                    limit=limit, **_marker(marker, everyone)))['volumes'])))
        with refusals('list snapshots'):
            add('snapshot', (_named(
                s, project_id=s.get(
                    'os-extended-snapshot-attributes:project_id'),
                volume_id=s.get('volume_id')) for s in paged(
                lambda limit, marker: manager.snapshots_client_latest.
                list_snapshots(detail=True, limit=limit,
                               **_marker(marker, everyone))['snapshots'])))
        with refusals('list cinder attachments'):
            add('attachment', ({'id': a['id'], 'name': None,
                                'volume_id': a['volume_id'],
                                'server_id': a.get('instance'),
                                'status': a.get('status')}
                               for a in account.attachments_client.
                               list_attachments(**everyone)['attachments']))
        with refusals('list images'):
            images = paged(lambda limit, marker: manager.image_client_v2.
                           list_images(params=dict(
                               limit=limit, **_marker(marker, {})))['images'])
            add('image', (_named(i, project_id=i.get('owner'))
                          for i in images
                          if account.is_admin or i.get('owner') == own))
        if not self.neutron:
            return
        filters = {} if account.is_admin else {'project_id': own}
        for kind, client, key in (
                ('security_group', manager.security_groups_client,
                 'security_groups'),
                ('router', manager.routers_client, 'routers'),
                ('network', manager.networks_client, 'networks')):
            with refusals('list %ss' % kind.replace('_', ' ')):
                listing = getattr(client, 'list_%s' % key)(**filters)[key]
            add(kind, (_named(r, project_id=r.get('project_id') or
                              r.get('tenant_id')) for r in listing))

    def _keypairs(self, account, user_id):
        params = {'user_id': user_id} if user_id else {}
        with refusals('list keypairs'), \
                compute_microversion(KEYPAIRS_OF_USER_MICROVERSION):
            listing = account.manager.keypairs_client.list_keypairs(
                **params)['keypairs']
        keypairs = []
        for entry in listing:
            keypair = entry['keypair']
            keypairs.append({'id': keypair['name'], 'name': keypair['name'],
                             'user_id': user_id,
                             'project_id': (None if user_id
                                            else account.project_id)})
        return keypairs

    # -- removal (removal.py's calls) -----------------------------------------

    def account_for(self, found):
        if self.admin:
            return self.admin
        project_id = found.data.get('project_id')
        for account in self.accounts:
            if account.project_id == project_id:
                return account
        return self.accounts[0]

    def detach(self, server_id, volume_id):
        from tempest.lib import exceptions as lib_exc
        account = self.admin or self.accounts[0]
        with refusals('detach volume %s from server %s' % (
                volume_id, server_id)):
            try:
                account.manager.servers_client.detach_volume(
                    server_id, volume_id)
            except lib_exc.NotFound:
                pass

    def delete(self, kind, found):
        self._call(_DELETES, 'delete', kind, found)

    def show(self, kind, found):
        return self._call(_SHOWS, 'show', kind, found)

    def _call(self, calls, verb, kind, found):
        """calls[kind](account, found); None when the resource is gone."""
        from tempest.lib import exceptions as lib_exc
        account = self.account_for(found)
        with refusals('%s %s %s' % (verb, kind, found.id)):
            try:
                return calls[kind](account, found)
            except lib_exc.NotFound:
                return None


def _marker(marker, params):
    return dict(params, marker=marker) if marker else dict(params)


def _named(resource, **extra):
    item = {'id': resource['id'], 'name': resource.get('name'),
            'status': resource.get('status')}
    item.update(extra)
    return item


def _volume(volume):
    return _named(
        volume, project_id=volume.get('os-vol-tenant-attr:tenant_id'),
        attachments=[{'server_id': a.get('server_id'),
                      'attachment_id': a.get('attachment_id')}
                     for a in volume.get('attachments') or ()])


def _remove_router(account, found):
    """Delete a router once its interfaces are removed."""
    manager = account.manager
    for port in manager.ports_client.list_ports(device_id=found.id)['ports']:
        if port.get('device_owner', '').startswith(
                'network:router_interface'):
            manager.routers_client.remove_router_interface(
                found.id, port_id=port['id'])
    manager.routers_client.delete_router(found.id)


def _delete_keypair(account, found):
    params = {'user_id': found.data['user_id']} \
        if found.data.get('user_id') else {}
    with compute_microversion(KEYPAIRS_OF_USER_MICROVERSION):
        account.manager.keypairs_client.delete_keypair(found.id, **params)


def _show_keypair(account, found):
    params = {'user_id': found.data['user_id']} \
        if found.data.get('user_id') else {}
    with compute_microversion(KEYPAIRS_OF_USER_MICROVERSION):
        return account.manager.keypairs_client.show_keypair(
            found.id, **params)['keypair']


_DELETES = {
    'server': lambda a, f: a.manager.servers_client.delete_server(f.id),
    'attachment': lambda a, f: a.attachments_client.delete_attachment(f.id),
    'snapshot': lambda a, f: a.manager.snapshots_client_latest.
    delete_snapshot(f.id),
    'volume': lambda a, f: a.manager.volumes_client_latest.delete_volume(
        f.id),
    'image': lambda a, f: a.manager.image_client_v2.delete_image(f.id),
    'volume_type': lambda a, f: a.manager.volume_types_client_latest.
    delete_volume_type(f.id),
    'keypair': _delete_keypair,
    'security_group': lambda a, f: a.manager.security_groups_client.
    delete_security_group(f.id),
    'router': _remove_router,
    'network': lambda a, f: a.manager.networks_client.delete_network(f.id),
    'user': lambda a, f: a.manager.users_v3_client.delete_user(f.id),
    'project': lambda a, f: a.manager.projects_client.delete_project(f.id),
}

_SHOWS = {
    'server': lambda a, f: a.manager.servers_client.show_server(f.id)[
        'server'],
    'attachment': lambda a, f: a.attachments_client.show_attachment(f.id)[
        'attachment'],
    'snapshot': lambda a, f: a.manager.snapshots_client_latest.
    show_snapshot(f.id)['snapshot'],
    'volume': lambda a, f: _volume(a.manager.volumes_client_latest.
                                   show_volume(f.id)['volume']),
    'image': lambda a, f: a.manager.image_client_v2.show_image(f.id),
    'volume_type': lambda a, f: a.manager.volume_types_client_latest.
    show_volume_type(f.id)['volume_type'],
    'keypair': _show_keypair,
    'security_group': lambda a, f: a.manager.security_groups_client.
    show_security_group(f.id)['security_group'],
    'router': lambda a, f: a.manager.routers_client.show_router(f.id)[
        'router'],
    'network': lambda a, f: a.manager.networks_client.show_network(f.id)[
        'network'],
    'user': lambda a, f: a.manager.users_v3_client.show_user(f.id)['user'],
    'project': lambda a, f: a.manager.projects_client.show_project(f.id)[
        'project'],
}


def connect(config_file, timeout):
    """(LiveCloud, conf, who) from a tempest.conf; BadInput if unusable."""
    conf = preflight_live.load_tempest_config(config_file)
    preflight_live.bound_http_timeout(conf, timeout)
    settings = preflight_live.settings_from_conf(conf, config_file)
    from tempest import clients
    if settings.admin_configured:
        chosen = [('admin', None)]
        who = "admin '%s' of project '%s' ([auth] admin_*)" % (
            conf.auth.admin_username, conf.auth.admin_project_name)
    elif settings.accounts:
        chosen = [('primary', preflight_live.account_fields(a))
                  for a in settings.accounts]
        who = '%d accounts of %s (each in its own project)' % (
            len(chosen), settings.accounts_file)
    else:
        raise common.BadInput(
            'no credentials in %s: set [auth] admin_username/admin_password/'
            'admin_project_name, or use_dynamic_credentials = False with '
            'test_accounts_file' % config_file)
    accounts = []
    for kind, fields in chosen:
        credentials = preflight_live.authenticate(conf, kind, fields)
        try:
            manager = clients.Manager(credentials)
        except Exception as exc:
            raise common.BadInput('cannot build tempest clients from %s: %s'
                                  % (config_file, common.first_line(exc)))
        accounts.append(Account(manager, kind == 'admin'))
    return (LiveCloud(accounts, conf.service_available.neutron), conf,
            '%s at %s' % (who, conf.identity.uri_v3 or conf.identity.uri))
