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

"""Whitebox: the libvirt domain of every holder shares the volume's disk.

Where the suite can read each compute host's libvirt ([mattach]
compute_libvirt_uris), the domain of every server holding a multiattach
volume must define the volume's disk (found by its serial, the volume id)
as shareable with the host page cache off (cache='none'), and a read-only
attachment as <readonly/>: what keeps two guests writing one disk from
corrupting it through caches, and a read-only holder from writing.

Admin: a server's host and libvirt domain name (OS-EXT-SRV-ATTR:host,
OS-EXT-SRV-ATTR:instance_name) and the readonly flag are admin-only.
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import domain_xml
from mattach_tempest.common import known_defects
from mattach_tempest.common import unstable
from mattach_tempest.tests.api import base

CONF = config.CONF


class MultiattachDomainXmlTest(base.MultiattachAdminBaseTest):
    """Each holder's domain XML, read from its host's libvirt."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.mattach.compute_libvirt_uris:
            raise cls.skipException(
                'The compute hosts\' libvirt cannot be read: [mattach] '
                'compute_libvirt_uris is not set')

    def holder_domain_xml(self, server_id):
        """(the live XML of the server's domain, what names it).

        Read as admin: the server's host and domain name, then the domain
        from that host's libvirt ([mattach] compute_libvirt_uris).
        """
        server = self.admin_servers_client.show_server(server_id)['server']
        host = server['OS-EXT-SRV-ATTR:host']
        name = server['OS-EXT-SRV-ATTR:instance_name']
        uris = CONF.mattach.compute_libvirt_uris
        self.assertIn(host, uris,
                      'Server %s is on host %s, for which [mattach] '
                      'compute_libvirt_uris has no libvirt URI (it has %s)'
                      % (server_id, host, sorted(uris)))
        xml = domain_xml.read_domain_xml(uris[host], name)
        where = ('domain %s of server %s on host %s (%s)'
                 % (name, server_id, host, uris[host]))
        return xml, where

    def assertSharedDisk(self, server_id, volume_id, read_only):
        """The holder's domain has the volume's disk as a multiattach one.

        Exactly one disk with the volume id as serial, <shareable/>,
        cache='none'; <readonly/> exactly when `read_only` (None: not
        checked).

        :returns: (the domain XML, what a failure message says of it).
        """
        xml, where = self.holder_domain_xml(server_id)
        message = ('The disk of volume %s in %s:\n%s'
                   % (volume_id, where, domain_xml.disk_text(xml, volume_id)))
        self.assertEqual(
            [], domain_xml.multiattach_disk_problems(xml, volume_id,
                                                     read_only),
            message)
        return xml, message

    @decorators.idempotent_id('df4a1450-dff3-49e1-b4bf-966a7b611cc2')
    @unstable.services('compute', 'volume')
    def test_every_holder_has_a_shareable_uncached_disk(self):
        """Read-write holders: the disk is shareable, cache='none'.

        1. Create a multiattach volume; boot two servers.
        2. Attach the volume to each, one at a time; both services list
           exactly the two.
        3. For each server, as admin read its host and domain name; read
           the domain XML from the host's libvirt ([mattach]
           compute_libvirt_uris): exactly one disk has the volume id as
           serial, with <shareable/>, driver cache='none', no <readonly/>.
        """
        volume = self.create_multiattach_volume()
        servers = self.create_servers(2)
        self.attach_volume_to_servers(volume, servers)
        self.assertHeldBy(volume['id'], [s['id'] for s in servers])
        for server in servers:
            self.assertSharedDisk(server['id'], volume['id'],
                                  read_only=False)

    @decorators.idempotent_id('df090ef0-a294-4651-a07c-34569a58fb65')
    # The holders attach with the primary's (non-admin) credentials: a
    # cloud with this defect gives them a read-write disk.
    @known_defects.detects('cinder-readonly-access-mode')
    @unstable.services('compute', 'volume')
    def test_read_only_holders_have_a_readonly_shareable_disk(self):
        """Read-only holders: the disk is also <readonly/>.

        1. Create a multiattach volume; as admin set its readonly flag.
        2. Boot two servers; attach the volume to each, one at a time; both
           services list exactly the two; cinder records each attachment
           with attach_mode ro.
        3. For each server read its domain XML from its host's libvirt:
           exactly one disk has the volume id as serial, with <shareable/>,
           driver cache='none' and <readonly/>.
        """
        volume = self.create_multiattach_volume()
        self.admin_volumes_client.update_volume_readonly(volume['id'],
                                                         readonly=True)
        servers = self.create_servers(2)
        self.attach_volume_to_servers(volume, servers)
        held = self.assertHeldBy(volume['id'],
                                 [s['id'] for s in servers])
        self.assertEqual(
            ['ro'] * len(servers),
            [self.attachments_client.show_attachment(attachment_id)[
                'attachment']['attach_mode'] for attachment_id in
             held.values()],
            'attach_mode of the read-only holders\' attachments')
        for server in servers:
            xml, message = self.assertSharedDisk(server['id'], volume['id'],
                                                 read_only=None)
            # The defect's signature: the read-only holder's disk is not.
            with known_defects.signature('cinder-readonly-access-mode'):
                self.assertNotIn(
                    domain_xml.READ_ONLY_MISSING,
                    domain_xml.multiattach_disk_problems(
                        xml, volume['id'], read_only=True), message)
