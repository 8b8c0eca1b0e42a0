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

"""Base of the multiattach data-path scenario tests.

Built on tempest.scenario.manager.ScenarioTest (a stable interface): its
create_server (wait_until='SSHABLE' with per-server validation resources),
create_volume and get_remote_client. What happens inside the guests lives
in mattach_tempest.common.guest (commands) and .procedures (the steps the
tests take, shared with the project's stand-in unit tests).

Conventions of every test here:

* every guest is SSH-able before any attach or detach (bug 1960346);
* servers are attached one at a time, each attach waited on cinder's
  attachment record for that server (never on the volume status, which
  says little for a multiattach volume);
* every wait on a server (boot to SSH, attach, detach, delete) is logged
  for the class (mattach_tempest.common.timing);
* any failure logs the console of every server the test booted; a guest
  step failing also carries that guest's console in the error.
"""

import functools
import time

from oslo_log import log as logging
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib.common.utils import test_utils
from tempest.lib.common import validation_resources
from tempest.lib import exceptions as lib_exc
from tempest.scenario import manager

from mattach_tempest.common import guest as guest_mod
from mattach_tempest.common import procedures
from mattach_tempest.common import timing
from mattach_tempest.common import unstable
from mattach_tempest.common import waiters
from mattach_tempest.tests import nova_attach
from mattach_tempest.tests import skips

CONF = config.CONF
LOG = logging.getLogger(__name__)

GIB = 1024 ** 3


class MultiattachScenarioTest(nova_attach.NovaAttachMixin,
                              manager.ScenarioTest):
    """Primary credentials, compute >= 2.60, guests reached over SSH."""

    credentials = ['primary']
    compute_min_microversion = '2.60'
    #: 'different' or 'same' in a class whose guests are booted on
    #: different hosts or on one host (create_guests_on_hosts): it skips
    #: unless the configuration says the cloud can place them so.
    placement = None
    #: The guests the class's tests share, in request order: dicts of
    #: server (as created or last shown), resources (its validation
    #: resources), requested (monotonic time of the request) and ready
    #: (a test saw it SSH-able).
    _class_guests = ()

    @classmethod
    def skip_checks(cls):
        # This plugin's reasons first: they name the option to set.
        skips.unless_multiattach(cls)
        skips.unless_enabled(cls, 'validation', 'run_validation',
                             'These tests SSH into the guests')
        skips.unless_multiattach_type(cls,
                                      CONF.volume.volume_type_multiattach)
        skips.unless_microversions(cls, 'compute',
                                   cls.compute_min_microversion,
                                   cls.compute_max_microversion)
        skips.unless_microversions(cls, 'volume', cls.volume_min_microversion,
                                   cls.volume_max_microversion)
        if cls.placement:
            skips.unless_placement(cls, cls.placement)
        super().skip_checks()

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.volume_attachments_client = (
            cls.os_primary.mattach_compute.VolumeAttachmentsClient())
        cls.attachments_client = (
            cls.os_primary.mattach_volume.AttachmentsClient())
        # For failures only: why cinder put a volume in error.
        cls.messages_client = cls.os_primary.mattach_volume.MessagesClient()

    @classmethod
    def resource_setup(cls):
        super().resource_setup()
        cls._class_guests = []
        if cls.class_guest_count():
            cls._class_guests.extend(
                cls.request_class_guests(cls.class_guest_count()))

    @classmethod
    def class_guest_count(cls):
        """How many guests the class's tests share; 0: none (the default).

        They are requested in resource_setup (request_class_guests), each
        waited for by the first test that takes it (class_guests). A test
        that needs a fresh guest boots its own and says why.
        """
        return 0

    def setUp(self):
        super().setUp()
        self.guest_servers = []
        self.test_failed = False
        self.addOnException(self._note_failure)
        self.addOnException(self._log_guest_consoles)

    # -- volumes -----------------------------------------------------------

    def create_multiattach_volume(self, **kwargs):
        """A volume of [volume] volume_type_multiattach.

        Its delete (ScenarioTest's cleanup) waits until every server has
        let go of it: servers deleted just before release their
        attachments asynchronously.
        """
        volume = self.create_volume(
            volume_type=CONF.volume.volume_type_multiattach,
            wait_until=None, **kwargs)
        self.addCleanup(self._wait_volume_released, volume['id'])
        # Ours, not tempest's wait: a volume in error is reported with
        # cinder's user messages saying why.
        volume = waiters.wait_for_volume_status(
            self.volumes_client, volume['id'], 'available',
            messages_client=self.messages_client)
        self.assertTrue(volume['multiattach'],
                        'Volume %s of type %s is not multiattach'
                        % (volume['id'], CONF.volume.volume_type_multiattach))
        return volume

    def _wait_volume_released(self, volume_id):
        def released():
            try:
                volume = self.volumes_client.show_volume(volume_id)['volume']
            except lib_exc.NotFound:
                return True, 'deleted'
            return (volume['status'] in ('available', 'error') and
                    not volume['attachments'], volume['status'])
        waiters.wait_until(released, 'volume %s to be released by every '
                           'server before its delete' % volume_id)

    @staticmethod
    def pattern_tag():
        """A fresh tag for region patterns (1-16 characters)."""
        return data_utils.rand_uuid_hex()[:12]

    # -- guests ------------------------------------------------------------

    def create_guest(self, **kwargs):
        """Boot a server, wait until it is SSH-able; (server, Guest)."""
        return self.create_guests(1, **kwargs)[0]

    def create_guests(self, count, **kwargs):
        """Boot `count` servers at once; [(server, Guest)] once all answer.

        Every server is requested before any is waited for: under qemu
        TCG most of a boot is the guest's own start, so boots overlap
        instead of adding up. Each server gets its own validation
        resources (keypair, security group, floating IP when [validation]
        connect_method = floating).
        """
        requests = [self.request_guest(**kwargs) for _ in range(count)]
        return [self.wait_for_guest(*request) for request in requests]

    def request_guest(self, **kwargs):
        """Ask nova for a server to SSH into; wait_for_guest takes it up.

        :returns: (server as created, its validation resources, the
            monotonic time of the request).
        """
        validation_resources = self.get_test_validation_resources(
            self.os_primary)
        started = time.monotonic()
        # ScenarioTest registers the server's delete and its wait: the
        # bracket times them from around (cleanups run last in, first out).
        delete = timing.Bracket(type(self), 'delete')
        self.addCleanup(delete.stop)
        server = self.create_server(
            wait_until=None, validatable=True,
            validation_resources=validation_resources, **kwargs)
        delete.wait.server = server['id']
        self.addCleanup(delete.start)
        # Its console is logged if anything fails from here on.
        self.guest_servers.append(server)
        return server, validation_resources, started

    # -- guests the class's tests share -------------------------------------

    @classmethod
    def request_class_guests(cls, count, placed=()):
        """Ask nova for `count` guests the class's tests share; no wait.

        Each gets validation resources of its own (a floating IP each
        when [validation] connect_method = floating). Class cleanups
        delete the servers, wait until each is gone, then delete those
        resources (registered first, so run last). With the class's
        placement, each server after `placed` and those before it carries
        its scheduler hint and is ACTIVE before the next is requested
        (the scheduler reads a hint by the host of the server it names).
        The boots then go on while the first test creates its volume.

        :returns: the guests' entries (see _class_guests).
        """
        resources = []
        for _index in range(count):
            resources.append(validation_resources.create_validation_resources(
                cls.os_primary, **_validation_resources_params()))
            cls.addClassResourceCleanup(
                validation_resources.clear_validation_resources,
                cls.os_primary, use_neutron=CONF.service_available.neutron,
                **resources[-1])
        server_ids = []
        cls.addClassResourceCleanup(cls.delete_servers, cls.servers_client,
                                    server_ids)
        placed = list(placed)
        entries = []
        for guest_resources in resources:
            kwargs = (cls.placement_hints(cls.placement, placed)
                      if cls.placement else {})
            requested = time.monotonic()
            server, _servers = unstable.create_test_server(
                cls.os_primary, tenant_network=cls.get_tenant_network(),
                wait_until=None, validatable=True,
                validation_resources=guest_resources,
                name=data_utils.rand_name(
                    prefix=CONF.resource_name_prefix,
                    name=cls.__name__ + '-server'), **kwargs)
            server_ids.append(server['id'])
            if cls.placement:
                unstable.wait_for_server_status(cls.servers_client,
                                                server['id'], 'ACTIVE')
            placed.append(server)
            entries.append({'server': server, 'resources': guest_resources,
                            'requested': requested, 'ready': False})
        return entries

    def class_guests(self, count=None):
        """The guests the class's tests share, SSH-able: [(server, Guest)].

        The first `count` in request order (all when None). The first
        test to take a guest waits until it is SSH-able (boot-ssh, timed
        from its request in resource_setup). A guest is as a test must
        find it: ACTIVE, no task, nova lists no volume on it (every test
        detaches what it attached at cleanup, and its procedures unmount
        what they mounted). One a test left otherwise (it failed half-way)
        is replaced, for the class's later tests too, by a new guest, so
        that one failure does not spread; so is one that never became
        SSH-able for the test that waited for it, deleted at once (a
        guest that panicked at boot spins a core until it is deleted).
        With the class's placement, the guests' hosts are asserted
        (assertPlacement).
        """
        shared = type(self)._class_guests
        count = len(shared) if count is None else count
        for index in range(count):
            entry = shared[index]
            if entry.get('failed'):
                test_utils.call_and_ignore_notfound_exc(
                    self.servers_client.delete_server, entry['server']['id'])
            elif not entry['ready'] or self.as_a_test_finds_it(
                    entry['server']['id']):
                continue
            others = [e['server'] for e in shared if e is not entry]
            shared[index] = self.request_class_guests(1, others)[0]
        guests = [self._take_class_guest(entry) for entry in shared[:count]]
        if self.placement:
            self.assertPlacement([server for server, _guest in guests],
                                 self.placement)
        return guests

    def _take_class_guest(self, entry):
        # Its console is logged if anything fails from here on.
        self.guest_servers.append(entry['server'])
        if entry['ready']:
            return entry['server'], self.guest_of(entry['server'],
                                                  entry['resources'])
        try:
            server, guest = self.wait_for_guest(
                entry['server'], entry['resources'], entry['requested'])
        except Exception:
            # This test fails with the wait's error; the class's later
            # tests get a new guest (class_guests).
            entry['failed'] = True
            raise
        entry.update(server=server, ready=True)
        return server, guest

    def wait_for_guest(self, server, validation_resources, started):
        """Wait until a requested server is ACTIVE and SSH-able; a Guest.

        Bounded by [compute] build_timeout (ACTIVE, the SSH port) and
        [validation] ssh_timeout (the login). Logged (boot-ssh): the
        seconds from the create request, what the operator tunes
        [validation] and [compute] build_timeout by; the boots of servers
        requested together overlap.
        """
        with timing.waiting(type(self), 'boot-ssh', server['id'],
                            started=started):
            server = unstable.wait_for_server_status(
                self.servers_client, server['id'], 'ACTIVE')
            if CONF.validation.connect_method == 'fixed':
                # tempest's SSH wait retries with a growing sleep (1.5 s,
                # then 2.5 s, 3.5 s ...) and overshoots a guest that
                # answers between two tries; a look at the port every
                # build_interval finds it as soon as sshd is up.
                waiters.wait_for_ssh_banner(
                    self.get_server_ip(server),
                    'server %s (%s)' % (server['name'], server['id']),
                    console=functools.partial(self._console_output,
                                              server['id']))
            unstable.wait_for_ssh_or_ping(
                server, self.os_primary, self.get_tenant_network(),
                validatable=True, validation_resources=validation_resources,
                wait_until='SSHABLE', set_floatingip=True)
        return server, self.guest_of(server, validation_resources)

    def guest_of(self, server, validation_resources):
        """A Guest: an SSH client logged in to the server (tempest's)."""
        if CONF.validation.connect_method == 'floating':
            ip = validation_resources['floating_ip']['ip']
        else:
            ip = self.get_server_ip(server)
        remote = self.get_remote_client(
            ip, private_key=validation_resources['keypair']['private_key'],
            server=server)
        # One login for all of the guest's commands (see KeptLoginClient);
        # ended at the test's end, after the cleanups registered later.
        remote.ssh_client = unstable.KeptLoginClient.replacing(
            remote.ssh_client)
        self.addCleanup(remote.ssh_client.close)
        guest = guest_mod.Guest(
            remote, server['name'],
            console=functools.partial(self._console_output, server['id']))
        # The guest must run this boot to the test's end (its detaches
        # included: they are cleanups registered later, so run earlier).
        guest.note_boot()
        self.addCleanup(self._assert_same_boot, guest)
        return guest

    def _assert_same_boot(self, guest):
        # A test that failed already says why; its guest may not answer.
        if not self.test_failed:
            guest.assert_same_boot('during the test')

    def create_guests_on_hosts(self, count, placement=None,
                               first_kwargs=None):
        """`count` guests on different hosts ('different') or on one.

        `placement`: the class's when None.

        `first_kwargs`: more arguments of the first server's create_guest
        (e.g. volume_backed=True).

        Each server after the first carries the scheduler hint
        (placement_hints: same_host naming the first, or different_host
        naming every server before it while the cloud has hosts left);
        each is ACTIVE before the next is requested, since the scheduler
        reads a hint by the host the named server is on; then all are
        waited for until SSH-able, their boots overlapping. A server keeps
        its hints: nova's scheduler applies them again to its moves (a
        migration of the second of two servers placed 'same' finds no
        host), so a test moves the first, hint-free, server. The class skips
        first (skips.unless_placement); the hosts are asserted here
        (assertPlacement: hostId, or with `host_of` the admin's host
        name).

        :returns: [(server, Guest)] in boot order.
        """
        placement = placement or self.placement
        requests = []
        for index in range(count):
            kwargs = dict(first_kwargs or {}) if index == 0 else {}
            kwargs.update(self.placement_hints(
                placement, [server for server, _res, _t in requests]))
            requests.append(self.request_guest(**kwargs))
            unstable.wait_for_server_status(
                self.servers_client, requests[-1][0]['id'], 'ACTIVE')
        guests = [self.wait_for_guest(*request) for request in requests]
        self.assertPlacement([server for server, _guest in guests],
                             placement)
        return guests

    def wait_for_guest_ssh(self, server, guest):
        """After the server restarted (a cold migration): SSH-able again.

        Waits for ACTIVE, then until a command runs in the guest; bounded
        by [compute] build_timeout.
        """
        def answers():
            try:
                return True, guest.remote.exec_command('true')
            except Exception as exc:
                return False, '%s: %s' % (type(exc).__name__, exc)

        # The login of the boot before is gone: log in anew at once,
        # rather than after a command on it found it dead.
        guest.remote.ssh_client.close()
        with timing.waiting(type(self), 'ssh', server['id']):
            unstable.wait_for_server_status(self.servers_client,
                                            server['id'], 'ACTIVE')
            guest.wait_for(answers, 'server %s to answer over SSH again'
                           % server['id'])
        # This restart was asked for; the guest must run the new boot on.
        guest.note_boot()

    def _console_output(self, server_id):
        if not CONF.compute_feature_enabled.console_output:
            return ('(no console: [compute-feature-enabled] console_output '
                    '= False)')
        return self.servers_client.get_console_output(
            server_id, length=guest_mod.CONSOLE_TAIL_LINES)['output']

    def _note_failure(self, exc_info):
        self.test_failed = True

    def _log_guest_consoles(self, exc_info):
        if self.guest_servers:
            self.log_console_output(servers=self.guest_servers)

    # -- attachments -------------------------------------------------------

    def attach(self, server, volume):
        """Attach through nova; wait until cinder lists the attachment.

        The detach is registered as a cleanup before the request
        (nova_attach.NovaAttachMixin). Returns the device name nova or
        cinder reported: a hint for finding the disk in the guest, never
        trusted alone.
        """
        body, attachment = self.attach_and_wait(server, volume)
        return (body.get('volumeAttachment', {}).get('device') or
                attachment.get('device'))

    def attach_and_discover(self, server, guest, volume):
        """Attach and find the volume in the guest: a procedures.Member."""
        return procedures.attach_and_discover(
            guest, volume['id'], lambda: self.attach(server, volume),
            size_bytes=volume['size'] * GIB)

    def attach_one_at_a_time(self, servers_and_guests, volume):
        """Members for (server, guest) pairs, attached in order."""
        return [self.attach_and_discover(server, guest, volume)
                for server, guest in servers_and_guests]

    def detach_and_forget(self, server, member, volume):
        """Detach; wait until the guest no longer lists the disk."""
        procedures.detach_and_forget(
            member, lambda: self.detach_volume(server, volume))

    def filesystem_handover(self, a, b):
        """Run the filesystem handover; assert the file's exact content."""
        content = procedures.filesystem_handover(
            a, b, CONF.mattach.guest_filesystem)
        self.assertEqual('%s\n%s\n' % (procedures.handover_line(a.name),
                                       procedures.handover_line(b.name)),
                         content)

    def member_booted_with(self, server, guest, volume):
        """The Member of a server booted with the volume in its bdm.

        Waits for cinder's attachment record, then finds the disk by its
        by-id link, else by its virtio serial in /sys/block, else by the
        volume's size and the device name cinder reports (there is no disk
        list from before the attach).
        """
        attachment = self.wait_for_attachment(server, volume)
        device = guest.find_volume_device(
            volume['id'], size_bytes=volume['size'] * GIB,
            hint=attachment.get('device'))
        return procedures.Member(guest, device)


def _validation_resources_params():
    """create_validation_resources' arguments, as [validation] says."""
    return {
        'keypair': CONF.validation.auth_method.lower() == 'keypair',
        'floating_ip': CONF.validation.connect_method.lower() == 'floating',
        'security_group': CONF.validation.security_group,
        'security_group_rules': CONF.validation.security_group_rules,
        'use_neutron': CONF.service_available.neutron,
        'ethertype': 'IPv%s' % CONF.validation.ip_version_for_ssh,
        'floating_network_id': CONF.network.public_network_id,
        'floating_network_name': CONF.network.floating_network_name}


class MultiattachAdminScenarioTest(MultiattachScenarioTest):
    """Primary's guests; admin for what only an admin may (move, host)."""

    credentials = ['primary', 'admin']

    @classmethod
    def setup_clients(cls):
        super().setup_clients()
        cls.admin_servers_client = cls.os_admin.servers_client
        cls.admin_volumes_client = cls.os_admin.volumes_client_latest

    def wait_for_server_moved(self, server_id, source_host, what):
        """Wait until the server is off `source_host` and its task done.

        An ERROR status fails at once, with what nova shows of the server.

        :returns: the host it is on now.
        """
        def moved():
            server = self.admin_servers_client.show_server(server_id)[
                'server']
            if server['status'] == 'ERROR':
                raise AssertionError(
                    '%s of server %s failed: %s' % (
                        what, server_id, waiters.server_evidence(
                            self.admin_servers_client, server_id)))
            host = server['OS-EXT-SRV-ATTR:host']
            done = (host != source_host and
                    server['OS-EXT-STS:task_state'] is None and
                    server['status'] in ('ACTIVE', 'VERIFY_RESIZE'))
            return done, (server['status'], server['OS-EXT-STS:task_state'],
                          host)
        _status, _task, host = waiters.wait_until(
            moved, 'the %s of server %s off host %s'
            % (what, server_id, source_host),
            timeout=CONF.compute.build_timeout,
            interval=CONF.compute.build_interval)
        return host
