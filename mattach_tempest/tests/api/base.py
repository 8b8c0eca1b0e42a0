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

"""Base classes of the multiattach API conformance tests.

Built on tempest's stable interfaces only (tempest.test, tempest.lib,
tempest.common.compute); the one unstable dependency goes through
mattach_tempest.common.unstable.

Conventions every subclass gets from here:

* compute requests at the class's minimum microversion (2.60 unless the
  class says otherwise), volume requests at its volume minimum;
* the multiattach volume type is the operator's, from
  ``[volume] volume_type_multiattach`` (admin classes may create one);
* every resource registers its cleanup before anything can leak it, and the
  attach helpers wait on the attachment, never on the volume status.
"""

from oslo_log import log as logging
from tempest import config
from tempest.lib.common import api_version_utils
from tempest.lib.common.utils import data_utils
from tempest.lib.common.utils import test_utils
from tempest.lib import exceptions as lib_exc
from tempest import test

from mattach_tempest.common import timing
from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests import nova_attach
from mattach_tempest.tests import skips

CONF = config.CONF
LOG = logging.getLogger(__name__)


def api_image_ref():
    """The image the API tests boot and make bootable volumes of.

    [mattach] api_image_ref, else [compute] image_ref: no API test logs in
    to a server, so the cloud may give them an image that runs nothing.
    """
    return CONF.mattach.api_image_ref or CONF.compute.image_ref


# nova compute/api.py _check_volume_already_attached(), InvalidVolume (400):
# a volume that is not multiattach and that nova already maps to a server
# (the servers' ids follow, space separated). nova checks before it asks
# cinder to reserve the volume.
PLAIN_VOLUME_HELD = 'volume %s is already attached to instances: '


class MultiattachBaseTest(nova_attach.NovaAttachMixin,
                          api_version_utils.BaseMicroversionTest,
                          test.BaseTestCase):
    """Primary credentials, compute >= 2.60, the operator's multiattach type.

    Requests with non-admin credentials only: everything a certification
    run with pre-provisioned accounts can do.
    """

    credentials = ['primary']
    compute_min_microversion = '2.60'
    compute_max_microversion = 'latest'
    volume_min_microversion = '3.0'
    volume_max_microversion = 'latest'
    #: 'different' or 'same' in a class whose servers are booted on
    #: different hosts or on one host (create_servers_on_hosts): it skips
    #: unless the configuration says the cloud can place them so.
    placement = None
    #: How many servers the class's tests share: booted in resource_setup
    #: (create_class_servers), taken with class_servers; 0: none.
    class_server_count = 0
    #: The servers the class's tests share (create_class_servers), in
    #: boot order; None in a class that shares none.
    _class_servers = None
    #: The ids of the volumes the tests of a class sharing servers create:
    #: deleted again, if a test could not, once the servers are gone.
    _test_volume_ids = None

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        skips.unless_multiattach(cls)
        skips.unless_multiattach_type(cls, cls.has_multiattach_type())
        skips.unless_microversions(cls, 'compute',
                                   cls.compute_min_microversion,
                                   cls.compute_max_microversion)
        skips.unless_microversions(cls, 'volume', cls.volume_min_microversion,
                                   cls.volume_max_microversion)
        if cls.placement:
            skips.unless_placement(cls, cls.placement)

    @classmethod
    def skip_unless_shelve_offloads(cls):
        """For skip_checks: skip unless shelved servers get offloaded.

        shelve_offload on request is admin-only by default policy; with
        primary credentials nova itself must offload the shelved server,
        which it never does with an offload time of -1.
        """
        skips.unless_enabled(cls, 'compute-feature-enabled', 'shelve',
                             'Shelve is not enabled')
        if CONF.compute.shelved_offload_time < 0:
            raise cls.skipException(
                'Shelved servers are never offloaded: '
                '[compute] shelved_offload_time = %d'
                % CONF.compute.shelved_offload_time)

    @classmethod
    def has_multiattach_type(cls):
        """Whether the class will have a multiattach type to use."""
        return bool(CONF.volume.volume_type_multiattach)

    @classmethod
    def multiattach_type_name(cls):
        """The volume type multiattach volumes are created with."""
        return CONF.volume.volume_type_multiattach

    @classmethod
    def setup_credentials(cls):
        # Servers of these tests need no network (_request_server): the
        # dynamic credentials get none made for them.
        cls.set_network_resources()
        super().setup_credentials()

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.servers_client = cls.os_primary.servers_client
        cls.volumes_client = cls.os_primary.volumes_client_latest
        # Ours: tempest's sends no volume microversion (always 3.0).
        cls.snapshots_client = (
            cls.os_primary.mattach_volume.SnapshotsClient())
        cls.volume_types_client = cls.os_primary.volume_types_client_latest
        # For failures only: why cinder put a volume in error.
        cls.volume_messages_client = (
            cls.os_primary.mattach_volume.MessagesClient())
        cls.attachments_client = (
            cls.os_primary.mattach_volume.AttachmentsClient())
        cls.volume_attachments_client = (
            cls.os_primary.mattach_compute.VolumeAttachmentsClient())

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        cls.compute_request_microversion = (
            api_version_utils.select_request_microversion(
                cls.compute_min_microversion, CONF.compute.min_microversion))
        cls.volume_request_microversion = (
            api_version_utils.select_request_microversion(
                cls.volume_min_microversion, CONF.volume.min_microversion))
        cls.setup_api_microversion_fixture(
            compute_microversion=cls.compute_request_microversion,
            volume_microversion=cls.volume_request_microversion)
        if cls.class_server_count:
            cls.create_class_servers(cls.class_server_count)

    # -- refusals --------------------------------------------------------

    def assertRefused(self, exc_class, message, func, *args, **kwargs):
        """Assert func raises exc_class and the error names `message`.

        The status code is always asserted (by the exception class); the
        message, where given, is a fragment quoted from the nova or cinder
        source and must appear in the error body. Returns the exception.
        """
        try:
            accepted = func(*args, **kwargs)
        except exc_class as refusal:
            exc = refusal
        else:
            # Say which refusal was expected: the rule the cloud broke.
            self.fail('%s was accepted; it must be refused with %s (%s "%s"). '
                      'The answer: %s' % (
                          getattr(func, '__name__', func), exc_class.__name__,
                          exc_class.status_code, message, accepted))
        self.assertRefusalReason(exc, message)
        return exc

    def assertRefusalReason(self, exc, message):
        """The refusal `exc` names `message` in its error body.

        For a test that asserts the refusal and its reason apart (see
        assertRefused); a None message asserts nothing.
        """
        if message is not None:
            self.assertIn(message, str(exc.resp_body),
                          'The refusal does not give the expected reason')

    @classmethod
    def resource_name(cls, kind):
        """A random name for a resource this class creates.

        tempest's convention ([DEFAULT] resource_name_prefix, then the test
        class): what a cloud's leftovers are traced back by.
        """
        return data_utils.rand_name(prefix=CONF.resource_name_prefix,
                                    name='%s-%s' % (cls.__name__, kind))

    # -- volumes -----------------------------------------------------------

    def create_volume(self, volume_type=None, wait_until='available',
                      **kwargs):
        """Create a volume; its delete is registered before any wait.

        :param volume_type: the type's name; the plain type of
            ``[volume] volume_type`` (or the cloud's default) when None.
        """
        kwargs.setdefault('size', CONF.volume.volume_size)
        kwargs.setdefault('name', self.resource_name('volume'))
        volume_type = volume_type or CONF.volume.volume_type
        if volume_type:
            kwargs['volume_type'] = volume_type
        if CONF.compute.compute_volume_common_az:
            kwargs.setdefault('availability_zone',
                              CONF.compute.compute_volume_common_az)
        volume = self.volumes_client.create_volume(**kwargs)['volume']
        self.addCleanup(self.delete_volume, volume['id'])
        if self._test_volume_ids is not None:
            self._test_volume_ids.append(volume['id'])
        if wait_until:
            volume = waiters.wait_for_volume_status(
                self.volumes_client, volume['id'], wait_until,
                messages_client=self.volume_messages_client)
        return volume

    def create_multiattach_volume(self, **kwargs):
        """Create a volume of the multiattach type and check it says so."""
        volume = self.create_volume(
            volume_type=self.multiattach_type_name(), **kwargs)
        self.assertTrue(volume['multiattach'],
                        'Volume %s of type %s is not multiattach: %s'
                        % (volume['id'], self.multiattach_type_name(),
                           volume))
        return volume

    def create_plain_volume(self, **kwargs):
        """Create a volume that is not multiattach, and check it says so.

        Of the plain type (``[volume] volume_type`` or the cloud's
        default) unless kwargs name another.
        """
        volume = self.create_volume(**kwargs)
        self.assertIs(False, volume['multiattach'],
                      'Volume %s of type %s is multiattach, the test needs a '
                      'plain one: %s' % (volume['id'], volume['volume_type'],
                                         volume))
        return volume

    @classmethod
    def delete_volume(cls, volume_id):
        """Delete a volume once nothing holds it, and wait until it is gone.

        Servers deleted just before release their attachments
        asynchronously, so wait for the volume to leave in-use first.
        """
        try:
            # Returns at the first look when nothing holds the volume.
            waiters.wait_until(
                lambda: cls._volume_deletable(volume_id),
                'volume %s to be released before its delete' % volume_id)
            cls.volumes_client.delete_volume(volume_id)
        except lib_exc.NotFound:
            return
        cls.volumes_client.wait_for_resource_deletion(volume_id)

    @classmethod
    def delete_volumes(cls, volume_ids):
        """delete_volume of each; one gone already is fine."""
        for volume_id in volume_ids:
            cls.delete_volume(volume_id)

    def expect_no_volume_named(self, name):
        """Register the delete of any volume called `name`.

        For requests the cloud must refuse: if it wrongly accepts one, the
        test fails on its assertion and this cleanup removes what was made.
        """
        def delete_named():
            for volume in self.volumes_client.list_volumes(
                    params={'name': name})['volumes']:
                self.delete_volume(volume['id'])
        self.addCleanup(delete_named)

    def expect_no_attachment_for(self, volume_id, instance_id):
        """Register the delete of the volume's attachments for instance_id.

        For reserves through cinder's attachments API that cinder must
        refuse: an attachment it wrongly makes would keep the volume from
        being detached and deleted.
        """
        def delete_reserved():
            for attachment in self.attachments_client.list_attachments(
                    volume_id=volume_id, instance_id=instance_id)[
                        'attachments']:
                test_utils.call_and_ignore_notfound_exc(
                    self.attachments_client.delete_attachment,
                    attachment['id'])
        self.addCleanup(delete_reserved)

    @classmethod
    def _volume_deletable(cls, volume_id):
        status = cls.volumes_client.show_volume(volume_id)['volume'][
            'status']
        return status in ('available', 'error', 'error_restoring'), status

    # -- servers -----------------------------------------------------------

    def create_server(self, wait_until='ACTIVE', credentials_type='primary',
                      **kwargs):
        """Boot a server with tempest's stable helper; cleanup registered.

        The cleanup (registered before the request) deletes the server,
        then waits until it is gone.

        :param credentials_type: whose server: 'primary', or another of
            the class's credentials ('alt' ...).
        """
        server_ids = []
        self.addCleanup(self.delete_servers,
                        self._servers_client_of(credentials_type), server_ids)
        return self._request_server(server_ids, credentials_type,
                                    wait_until=wait_until, **kwargs)

    @classmethod
    def _servers_client_of(cls, credentials_type):
        return cls._clients_of(credentials_type).servers_client

    @classmethod
    def _clients_of(cls, credentials_type):
        return getattr(cls, 'os_%s' % credentials_type)

    @classmethod
    def _request_server(cls, server_ids, credentials_type='primary',
                        wait_until=None, **kwargs):
        """Request a server (tempest's helper); its id into server_ids.

        When a wait_until fails, tempest's helper deletes the server.
        """
        kwargs.setdefault('name', cls.resource_name('server'))
        kwargs.setdefault('image_id', api_image_ref())
        # No API test reaches a server over the network, so none is asked
        # for (compute >= 2.37 requires the key), even where [compute]
        # fixed_network_name names one: a port costs neutron and nova
        # more CPU than the rest of the boot (measured on tools/minicloud:
        # 3.4 against 2.2 core-s a server).
        kwargs.setdefault('networks', 'none')
        if not wait_until:
            body, _servers = unstable.create_test_server(
                cls._clients_of(credentials_type),
                wait_until=None, **kwargs)
            server_ids.append(body['id'])
            return body
        # The boot's wait, logged for the class (timing).
        kind = 'boot-ssh' if wait_until == 'SSHABLE' else 'boot'
        with timing.waiting(cls, kind) as wait:
            body, _servers = unstable.create_test_server(
                cls._clients_of(credentials_type), wait_until=wait_until,
                **kwargs)
            wait.server = body['id']
        server_ids.append(body['id'])
        return body

    @classmethod
    def _boot_servers(cls, add_cleanup, count, credentials_type='primary',
                      **kwargs):
        """Request `count` servers, then wait until all are ACTIVE.

        :param add_cleanup: registers their delete (delete_servers) before
            the first request: addCleanup or addClassResourceCleanup.
        """
        servers_client = cls._servers_client_of(credentials_type)
        server_ids = []
        add_cleanup(cls.delete_servers, servers_client, server_ids)
        servers = [cls._request_server(server_ids, credentials_type,
                                       **kwargs)
                   for _index in range(count)]
        cls.wait_for_active(servers, servers_client)
        return servers

    @classmethod
    def wait_for_active(cls, servers, servers_client=None):
        """Wait until each server is ACTIVE (the primary's when no client).

        For servers requested together (wait_until=None): each boots
        while the others do.
        """
        for server in servers:
            # Each server's line: the seconds this wait added (timing).
            with timing.waiting(cls, 'boot', server['id']):
                unstable.wait_for_server_status(
                    servers_client or cls.servers_client, server['id'],
                    'ACTIVE')

    def expect_no_server_named(self, name, multi_create=False):
        """Register the delete of any server called `name` (see above).

        With multi_create, of any server whose name starts with `name`:
        nova names the servers of a multi-create request after it
        ('<name>-1', '<name>-2' by default).
        """
        pattern = ('^%s' if multi_create else '^%s$') % name

        def delete_named():
            for server in self.servers_client.list_servers(
                    name=pattern)['servers']:
                test_utils.call_and_ignore_notfound_exc(
                    self.servers_client.delete_server, server['id'])
                unstable.wait_for_server_termination(
                    self.servers_client, server['id'])
        self.addCleanup(delete_named)

    def create_servers(self, count, **kwargs):
        """Boot `count` servers of the test, waited for together.

        All are requested before waiting for any; the cleanup deletes them
        all, then waits until each is gone.

        :param kwargs: create_server's (credentials_type ...), but not
            wait_until.
        """
        return self._boot_servers(self.addCleanup, count, **kwargs)

    # -- servers the class's tests share -----------------------------------
    # Tempest's resource_setup pattern, for the classes whose tests only
    # attach, detach and are refused (or reboot, or stop and start): a
    # boot, its wait and a delete per server per class instead of per
    # test. A test that needs a server of its own (one it shelves,
    # resizes, moves, rebuilds or deletes, or boots from its volume) boots
    # it and says why in its docstring.

    @classmethod
    def create_class_servers(cls, count, **kwargs):
        """Boot `count` servers the class's tests share (resource_setup).

        All are requested before waiting for any. A class cleanup
        (registered before the first request) deletes them all, then
        waits until each is gone. A class cleanup registered before that
        one, so run after it, deletes every volume the class's tests
        created that is still there: one a failed test could not delete
        while a shared server held it. Tests take the servers with
        class_servers.

        :param kwargs: create_server's, but neither wait_until nor
            credentials_type: the servers are the primary's.
        :returns: the servers (create answers), in request order.
        """
        if cls._test_volume_ids is None:
            cls._test_volume_ids = []
            cls.addClassResourceCleanup(cls.delete_volumes,
                                        cls._test_volume_ids)
        servers = cls._boot_servers(cls.addClassResourceCleanup, count,
                                    **kwargs)
        cls._class_servers = (cls._class_servers or []) + servers
        return servers

    def class_servers(self, count=None):
        """The class's shared servers, as each of its tests finds them.

        ACTIVE, and nova lists no volume on them: every test detaches what
        it attached at cleanup (and waits until neither service lists
        it), and leaves ACTIVE a server it stops or reboots. A server a
        test left otherwise (it failed half-way, or the cloud kept
        something a detach removed) is replaced here, for the class's
        later tests too, by a new server, so that one failure does not
        spread to the tests after it.

        :param count: how many, the first in boot order (all when None).
        """
        servers = self._class_servers
        count = len(servers) if count is None else count
        changed = [index for index in range(count)
                   if not self.as_a_test_finds_it(servers[index]['id'])]
        if changed:
            replacements = self._boot_servers(self.addClassResourceCleanup,
                                              len(changed))
            for index, server in zip(changed, replacements):
                servers[index] = server
        return servers[:count]

    def create_bootable_multiattach_volume(self):
        """A multiattach volume holding the API tests' image, bootable."""
        volume = self.create_multiattach_volume(imageRef=api_image_ref())
        self.assertEqual('true', volume['bootable'],
                         'Volume %s made from image %s is not bootable'
                         % (volume['id'], api_image_ref()))
        return volume

    def create_server_from_volume(self, volume, delete_on_termination=False,
                                  **kwargs):
        """Boot a server from an existing volume (no image).

        Create the volume before the server: its delete cleanup then runs
        after the server is gone (cleanups run last in, first out).
        """
        return self.create_server(
            image_id='', block_device_mapping_v2=[nova_attach.volume_bdm(
                volume['id'], 0, delete_on_termination)], **kwargs)

    def create_server_from_volume_and_another(self, volume, **kwargs):
        """Server A booted from the volume, server B from the image.

        Both requested before waiting for either: B, booted without the
        volume, takes no part in its reserve. The test attaches B.

        :param kwargs: create_server_from_volume's for A
            (delete_on_termination ...).
        :returns: (A, B)
        """
        booted = self.create_server_from_volume(volume, wait_until=None,
                                                **kwargs)
        other = self.create_server(wait_until=None)
        self.wait_for_active([booted, other])
        return booted, other

    def create_server_with_data_volume(self, volume, **kwargs):
        """Boot from the API tests' image with the volume as a data disk."""
        return self.create_server(
            block_device_mapping_v2=nova_attach.data_volume_bdms(
                volume['id'], api_image_ref()), **kwargs)

    # -- hosts -------------------------------------------------------------

    def create_servers_on_hosts(self, count, placement='different', **kwargs):
        """Boot `count` servers on different hosts, or all on one host.

        'same': every server after the first with the scheduler hint
        same_host naming the first. 'different': each of the first
        min(count, [compute] min_compute_nodes) servers with different_host
        naming every server before it, so each is on a host of its own;
        any further server without a hint (on a cloud of exactly that many
        hosts it shares one). Each server is ACTIVE before the next is
        requested: the scheduler reads a hint by the host the named server
        is on. The class skips first: skips.unless_placement.

        :returns: the servers (create answers) in boot order; see
            assertPlacement.
        """
        servers = []
        for _index in range(count):
            servers.append(self.create_server(**dict(
                kwargs, **self.placement_hints(placement, servers))))
        return servers

    def confirm_resize(self, server_id):
        """Confirm a resize or cold migration once nova awaits it.

        Waits for VERIFY_RESIZE, confirms, waits until ACTIVE.
        """
        unstable.wait_for_server_status(
            self.servers_client, server_id, 'VERIFY_RESIZE')
        self.servers_client.confirm_resize_server(server_id)
        unstable.wait_for_server_status(
            self.servers_client, server_id, 'ACTIVE')

    def shelve_offload(self, server_id):
        """Shelve a server and wait until nova has offloaded it, to the end.

        tempest's helper waits for SHELVED_OFFLOADED, which nova shows
        before it clears the server's host; the wait for the shelve action
        to finish keeps a following unshelve or attach from racing that
        (waiters.wait_for_instance_action_finished).
        """
        unstable.shelve_server(self.servers_client, server_id)
        waiters.wait_for_instance_action_finished(
            self.servers_client, server_id, 'shelve')

    # -- attachments -------------------------------------------------------

    def attach_volume(self, server, volume, microversion=None):
        """Attach through nova and wait until cinder lists the attachment.

        The detach is registered as a cleanup before the request is sent
        (nova_attach.NovaAttachMixin). Returns cinder's record of this
        server's attachment (attachment_id, server_id, device ...).
        """
        return self.attach_and_wait(server, volume, microversion)[1]

    def attach_volume_to_servers(self, volume, servers):
        """Attach one volume to servers one at a time.

        Cinder refuses to reserve a volume while another attach is in
        flight, so each attach completes before the next starts. Returns
        {server_id: cinder attachment record}.
        """
        return {server['id']: self.attach_volume(server, volume)
                for server in servers}

    # -- servers sharing a volume ------------------------------------------

    def create_shared_volume(self, server_count=2, microversion=None,
                             placement=None, host_of=None, servers=None):
        """One new multiattach volume attached to `server_count` new servers.

        The volume is created before the servers, so its delete (a cleanup,
        last in first out) runs once the servers are gone. The servers are
        attached one at a time (cinder refuses a reserve while another
        attach is in flight), each attach at `microversion` (the class's
        when None).

        :param placement: 'different' or 'same': the servers are booted on
            different hosts or on one host (create_servers_on_hosts), and
            their hosts are asserted before any attach (assertPlacement);
            None: wherever the scheduler puts them.
        :param host_of: how assertPlacement reads a server's host (hostId
            when None).
        :param servers: servers to attach it to instead of new ones (the
            class's: class_servers); server_count and placement are then
            not used.
        :returns: (volume, servers, {server_id: attachment_id}) as cinder
            lists the attachments once each attach completed.
        """
        volume = self.create_multiattach_volume()
        if servers is None and placement:
            servers = self.create_servers_on_hosts(server_count, placement)
            self.assertPlacement(servers, placement, host_of)
        elif servers is None:
            servers = self.create_servers(server_count)
        attachments = {
            server['id']: self.attach_volume(
                server, volume, microversion=microversion)['attachment_id']
            for server in servers}
        # Both services agree after every attach, not only cinder's wait.
        self.assertHeldBy(volume['id'], attachments)
        return volume, servers, attachments

    def assertMovedHolderReattaches(self, volume, moved, attachments):
        """After its move, a holder detaches and attaches again.

        Detaching `moved` leaves the other holders as they were (same
        attachment ids, on both services); attaching it again makes it a
        holder once more, beside them, on its new host. (Nova bug 1757190:
        a resize lost the multiattach flag of the moved server's volume
        connection on the new host.)

        :param attachments: {server_id: attachment_id} of every holder,
            `moved` included, as they are after the move.
        :returns: the holders' attachments after the new attach.
        """
        others = {server_id: attachment_id
                  for server_id, attachment_id in attachments.items()
                  if server_id != moved['id']}
        self.detach_volume(moved, volume)
        self.assertHeldBy(volume['id'], others, former_holders=[moved['id']])
        self.attach_volume(moved, volume)
        held = self.assertHeldBy(volume['id'], list(attachments))
        self.assertEqual(
            others, {server_id: held[server_id] for server_id in others},
            'Attaching server %s again changed the other holders\' '
            'attachments of volume %s' % (moved['id'], volume['id']))
        return held

    def assertDetachedOneByOne(self, volume, servers, attachments):
        """Detach the servers in turn; the others keep the volume each time.

        After each detach, exactly the servers not yet detached hold the
        volume on both services, under their original attachment ids, and
        nova lists it on none of those detached; after the last, nothing
        holds it.

        :param attachments: {server_id: attachment_id} of every server.
        """
        for index, server in enumerate(servers):
            self.detach_volume(server, volume)
            self.assertHeldBy(
                volume['id'],
                {s['id']: attachments[s['id']] for s in servers[index + 1:]},
                former_holders=[s['id'] for s in servers[:index + 1]])

    def create_held_plain_volume(self, server_count=2, volume_type=None):
        """A new plain volume held by the first of `server_count` servers.

        :param volume_type: the plain type's name (the class's plain type
            when None); the volume must come out not multiattach.
        :returns: (volume, servers); servers[0] holds the volume.
        """
        volume = self.create_plain_volume(volume_type=volume_type)
        servers = self.create_servers(server_count)
        self.attach_volume(servers[0], volume)
        return volume, servers

    def assertBootRefused(self, message, volume, **kwargs):
        """Booting with the volume as a data disk is a 400; nothing is left.

        The server would boot from the API tests' image with the volume in
        its block_device_mapping_v2. Any server the request wrongly makes
        is deleted at cleanup (registered before the request). Afterwards
        no server carries the request's name and cinder holds no
        attachment of the volume.

        :param message: a fragment of the 400's reason.
        :param kwargs: more server create arguments (min_count ...).
        """
        name = self.resource_name('refused')
        self.expect_no_server_named(
            name, multi_create=kwargs.get('min_count', 1) > 1)
        self.assertRefused(
            lib_exc.BadRequest, message, self.create_server_with_data_volume,
            volume, name=name, wait_until=None, **kwargs)
        self.assertEqual(
            [], self.servers_client.list_servers(name='^%s' % name)[
                'servers'],
            'The refused boot request left servers behind')
        self.assertReleased(volume['id'])

    def assertAttachRefused(self, message, server_id, volume_id,
                            microversion=None, holder_ids=()):
        """Attaching the volume to the server is a 400; nothing is left.

        Afterwards exactly the holders hold the volume on both services
        (none: cinder holds no attachment of it, not even a reserved one)
        and nova lists no volume on the server.

        :param message: a fragment of the 400's reason.
        :param microversion: the attach's compute microversion (the
            class's when None).
        :param holder_ids: the servers holding the volume before the
            request.
        """
        self.assertRefused(
            lib_exc.BadRequest, message,
            self.volume_attachments_client.attach_volume,
            server_id, volume_id,
            microversion=microversion or self.compute_request_microversion)
        self.assertHeldBy(volume_id, list(holder_ids))
        self.assertEqual([], self.nova_attachments(server_id))

    # -- retype (migration_policy 'never') ---------------------------------
    # Every retype asks for migration_policy 'never': the rules under test
    # are cinder's multiattach gates and the in-place type change. A
    # migration would copy the data to another backend and, for an in-use
    # volume, call nova's swap volume (behaviour rule 4), testing something
    # else; with 'never' a retype the backend cannot do in place fails
    # visibly (status restored, type kept) instead of starting one, even on
    # a cloud that wrongly accepts the request.

    def retype(self, volume_id, type_name):
        """Ask for a retype in place (migration_policy 'never'): 202."""
        self.volumes_client.retype_volume(
            volume_id, new_type=type_name, migration_policy='never')

    def wait_for_retype(self, volume_id):
        """Wait until the volume leaves 'retyping'; return it.

        Cinder sets 'retyping' before it answers 202 and restores the
        previous status when the retype ends, done or failed.
        """
        def finished():
            volume = self.volumes_client.show_volume(volume_id)['volume']
            return volume['status'] != 'retyping', volume
        return waiters.wait_until(
            finished, 'the retype of volume %s to finish' % volume_id)

    def assertTypeUnchanged(self, volume):
        """The volume keeps the type and the multiattach flag it had.

        :param volume: the volume as shown before the retype.
        :returns: the volume as shown now.
        """
        shown = self.volumes_client.show_volume(volume['id'])['volume']
        self.assertEqual(volume['volume_type'], shown['volume_type'],
                         'The type of volume %s changed' % volume['id'])
        self.assertIs(volume['multiattach'], shown['multiattach'],
                      'The multiattach flag of volume %s (type %s) changed'
                      % (volume['id'], shown['volume_type']))
        return shown


class MultiattachAdminBaseTest(MultiattachBaseTest):
    """Needs admin: volume types, readonly flags, encryption types.

    With ``[mattach] create_multiattach_type`` the class creates its own
    multiattach type instead of the operator's.
    """

    credentials = ['primary', 'admin']
    _created_type_name = None

    @classmethod
    def has_multiattach_type(cls):
        return (CONF.mattach.create_multiattach_type or
                super().has_multiattach_type())

    @classmethod
    def multiattach_type_name(cls):
        return cls._created_type_name or super().multiattach_type_name()

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_volumes_client = cls.os_admin.volumes_client_latest
        cls.admin_volume_types_client = (
            cls.os_admin.volume_types_client_latest)
        cls.admin_encryption_types_client = (
            cls.os_admin.encryption_types_client_latest)
        cls.admin_servers_client = cls.os_admin.servers_client

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        if CONF.mattach.create_multiattach_type:
            cls._created_type_name = cls.create_volume_type(
                extra_specs={'multiattach': '<is> True'})['name']

    @classmethod
    def create_volume_type(cls, extra_specs=None, **kwargs):
        """Create a volume type as admin; its delete is a class cleanup."""
        kwargs.setdefault('name', cls.resource_name('type'))
        volume_type = cls.admin_volume_types_client.create_volume_type(
            extra_specs=extra_specs or {}, **kwargs)['volume_type']
        cls.addClassResourceCleanup(
            test_utils.call_and_ignore_notfound_exc,
            cls.admin_volume_types_client.delete_volume_type,
            volume_type['id'])
        return volume_type
