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

"""Attaching one multiattach volume to several servers, and detaching it.

Behaviour rules 4 and 7 (doc/source/behaviour.rst): from compute 2.60 a
multiattach volume attaches to several servers, one attach at a time;
cinder (volume view and attachments API) and nova list every attachment
under the same attachment id. Rule 8: a detach removes only that server's
attachment; the volume stays in-use until the last one goes.
"""

from tempest import config
from tempest.lib import decorators

from mattach_tempest.common import unstable
from mattach_tempest.services.compute import volume_attachments_client
from mattach_tempest.tests.api import base
from mattach_tempest.tests import skips

CONF = config.CONF


class MultiattachAttachTest(base.MultiattachBaseTest):
    """One volume, several servers: attach, list and detach.

    The tests share max(2, [mattach] servers_per_volume) servers (booted
    once for the class): each attaches a volume of its own to some of
    them and detaches it by the end or at cleanup.
    """

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        cls.create_class_servers(max(2, CONF.mattach.servers_per_volume))

    @decorators.idempotent_id('0b9feb9d-836e-46f7-bf6b-cdf2facd8ad6')
    @unstable.services('compute', 'volume')
    def test_attach_at_2_60_listed_by_cinder_and_nova(self):
        """Two servers attached at 2.60: cinder and nova agree on both.

        Steps:
        1. Create a multiattach volume; attach it to two of the class's
           servers in turn through nova at exactly compute 2.60.
        2. Cinder's volume view lists both servers, the volume is in-use.
        3. Cinder's attachments API, list and detail filtered by the
           volume, give the same attachment ids; each is attached, rw.
        4. Nova lists the volume on each server (at 2.89) under cinder's
           attachment id for that server (the assertion of step 2 asks
           both services).
        """
        # The class runs from 2.60; this test also needs nova's attachment
        # ids.
        skips.unless_microversions(
            type(self), 'compute', volume_attachments_client.ATTACHMENT_IDS,
            'latest')
        volume, _servers, attachments = self.create_shared_volume(
            microversion=volume_attachments_client.MULTIATTACH,
            servers=self.class_servers(2))
        self.assertEqual(2, len(set(attachments.values())))
        self.assertHeldBy(volume['id'], attachments)

        expected = sorted(attachments.items())
        listed = self.attachments_client.list_attachments(
            volume_id=volume['id'])['attachments']
        self.assertEqual(expected, sorted((a['instance'], a['id'])
                                          for a in listed))
        detailed = self.attachments_client.list_attachments(
            detail=True, volume_id=volume['id'])['attachments']
        self.assertEqual(expected, sorted((a['instance'], a['id'])
                                          for a in detailed))
        for record in detailed:
            self.assertEqual('attached', record['status'], record)
            self.assertEqual('rw', record['attach_mode'], record)

    @decorators.idempotent_id('fa2c2c59-77bc-4cf6-8417-3e27509d41d9')
    @unstable.services('compute', 'volume')
    def test_attach_to_n_servers_one_at_a_time(self):
        """One volume on [mattach] servers_per_volume servers.

        Steps:
        1. Create a multiattach volume; attach it to N of the class's
           servers in turn, each attach completing before the next.
        2. Cinder lists all N servers with N distinct attachment ids and
           the volume is in-use.
        """
        count = CONF.mattach.servers_per_volume
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers(count))
        self.assertEqual({server['id'] for server in servers},
                         set(attachments))
        self.assertEqual(count, len(set(attachments.values())))
        self.assertHeldBy(volume['id'], attachments)

    @decorators.idempotent_id('6ff5f12d-a576-42f3-9755-b6b5eab52d15')
    @unstable.services('compute', 'volume')
    def test_detach_one_leaves_the_others(self):
        """Detaching from one server keeps the other's attachment.

        Steps:
        1. Attach a new multiattach volume to the class's servers A and
           B.
        2. Detach it from A and wait until cinder no longer lists A.
        3. Both services list B alone, under its original attachment id,
           the volume is still in-use, and nova lists nothing of it on A.
        4. Detach it from B: the volume is available with no attachment
           and nova lists it on neither server.
        """
        volume, servers, attachments = self.create_shared_volume(
            servers=self.class_servers(2))
        self.assertDetachedOneByOne(volume, servers, attachments)
