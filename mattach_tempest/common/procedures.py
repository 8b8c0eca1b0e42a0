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

"""The data-path procedures, in one place.

The scenario tests (mattach_tempest/tests/scenario) run them on servers of
a real cloud; the project's unit tests (mattach_tempest/unit/test_guest_*)
run the very same functions on stand-in guests. Whatever attaches,
detaches, extends or makes a volume read-only is passed in as a callable,
so a procedure never knows which of the two it runs on.

A procedure raises DataMismatch (an AssertionError, so a test reports a
failure, not an error) when a guest reads something else than what was
written; IOInterrupted (an AssertionError too) when a guest's background
I/O loop hits an I/O error or reads other data than it wrote while
something happens to the volume elsewhere; GuestError (from common.guest)
when a guest step fails. All carry the guest console.

Never is a non-cluster filesystem mounted in two guests at once: the filesystem
handover hands the filesystem from one guest to the other with umount in
between; the other procedures use the raw device with per-guest regions.
"""

import collections

from oslo_log import log as logging

from mattach_tempest.common import guest as guest_mod

LOG = logging.getLogger(__name__)

DEFAULT_MOUNT_POINT = '/mnt/mattach'
DEFAULT_FILE_NAME = 'handover.txt'


class DataMismatch(AssertionError):
    """A guest read other data than the procedure wrote."""


class Member(object):
    """A guest holding the shared volume, and the device it sees it as."""

    def __init__(self, guest, device):
        self.guest = guest
        self.device = device

    @property
    def name(self):
        return self.guest.name

    def __repr__(self):
        return '<Member %s %s>' % (self.guest.name, self.device)


def handover_line(name):
    """The line a guest writes into the handed-over file: proof it wrote."""
    return 'hello from %s' % name


def _mismatch(member, what, expected, seen):
    console = member.guest.console_tail()
    message = ('Guest %s read %s: expected %r, got %r\n--- guest console ---'
               '\n%s' % (member.name, what, expected, seen, console))
    LOG.error(message)
    raise DataMismatch(message)


def attach_and_discover(guest, volume_id, attach, size_bytes=None,
                        source='auto', by_id=True):
    """Attach the volume to the guest's server and find it in the guest.

    The guest's disk list is taken before `attach()` runs; `attach()`
    returns once the attach completed, optionally with the device name the
    API reported (a hint when several new disks appear).

    :returns: a Member
    """
    before = guest.list_disks(source)
    hint = attach()
    device = guest.find_volume_device(
        volume_id, disks_before=before, size_bytes=size_bytes,
        hint=hint if isinstance(hint, str) else None, source=source,
        by_id=by_id)
    return Member(guest, device)


def detach_and_forget(member, detach, source='auto'):
    """Detach the volume from the member's server.

    Returns once the guest no longer lists the member's disk.
    """
    detach()
    member.guest.wait_for_device_gone(member.device, source)


# -- the filesystem handover -------------------------------------------------

def filesystem_handover(a, b, fs, mount_point=DEFAULT_MOUNT_POINT,
                        file_name=DEFAULT_FILE_NAME):
    """Hand one filesystem from A to B and back; exact content asserted.

    1. A: mkfs, mount, write "hello from A", sync, umount;
    2. B: mount, read exactly A's line, append "hello from B", sync,
       umount;
    3. A: mount, read exactly both lines, umount.

    A mount is always undone, also when a step fails, so the guests can be
    detached afterwards.

    :param a: Member formatting and writing first.
    :param b: Member reading A's data.
    :param fs: the filesystem ([mattach] guest_filesystem).
    :returns: the file's final content.
    """
    path = '%s/%s' % (mount_point.rstrip('/'), file_name)
    line_a = handover_line(a.name)
    line_b = handover_line(b.name)

    LOG.info('Filesystem handover: %s formats %s with %s and writes',
             a.name, a.device, fs)
    a.guest.mkfs(a.device, fs)
    with _mounted(a, mount_point):
        a.guest.write_line(path, line_a)
        a.guest.sync()

    LOG.info('Filesystem handover: %s mounts %s, reads and appends',
             b.name, b.device)
    with _mounted(b, mount_point):
        seen = _read_if_there(b, path)
        if seen != line_a + '\n':
            _mismatch(b, path + ' written by ' + a.name, line_a + '\n', seen)
        b.guest.write_line(path, line_b, append=True)
        b.guest.sync()

    LOG.info('Filesystem handover: %s mounts %s again and reads', a.name,
             a.device)
    expected = line_a + '\n' + line_b + '\n'
    with _mounted(a, mount_point):
        seen = _read_if_there(a, path)
        if seen != expected:
            _mismatch(a, path + ' appended by ' + b.name, expected, seen)
    return seen


def _read_if_there(member, path):
    """The file's content; None (a mismatch, not an error) when missing."""
    if not member.guest.exists(path):
        return None
    return member.guest.read_file(path)


class _mounted(object):
    """Mount for the duration of a with block; umount also on failure."""

    def __init__(self, member, mount_point, read_only=False):
        self.member = member
        self.mount_point = mount_point
        self.read_only = read_only

    def __enter__(self):
        self.member.guest.mount(self.member.device, self.mount_point,
                                self.read_only)
        return self.member

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.member.guest.umount(self.mount_point)
            return False
        try:
            self.member.guest.umount(self.mount_point)
        except Exception:
            LOG.exception('Guest %s: umount %s after a failure also failed',
                          self.member.name, self.mount_point)
        return False


# -- raw block ---------------------------------------------------------------

def verify_regions(members, indexes, region_kib, tag):
    """Every member reads the regions `indexes` and checks them.

    Each checksum must be the checksum of the pattern written there.
    `indexes` is a list, or an int n meaning 0..n-1.
    """
    if isinstance(indexes, int):
        indexes = range(indexes)
    indexes = list(indexes)
    expected = [guest_mod.region_checksum(tag, i, region_kib)
                for i in indexes]
    for member in members:
        seen = member.guest.region_checksums(member.device, indexes,
                                             region_kib)
        wrong = [n for n in range(len(indexes)) if seen[n] != expected[n]]
        if wrong:
            _mismatch(member, 'regions %s of %s'
                      % ([indexes[n] for n in wrong], member.device),
                      [expected[n] for n in wrong], [seen[n] for n in wrong])
    LOG.info('Regions %s (%d KiB each, tag %s) read back intact by %s',
             indexes, region_kib, tag, [m.name for m in members])


def raw_block_procedure(members, region_kib, tag):
    """Member i writes region i; then every member reads every region.

    :returns: the number of regions written (len(members)).
    """
    for index, member in enumerate(members):
        LOG.info('Raw block: %s writes region %d of %s', member.name, index,
                 member.device)
        member.guest.write_region(member.device, index, region_kib, tag)
    verify_regions(members, len(members), region_kib, tag)
    return len(members)


def detach_reattach_procedure(members, detach, reattach, attach_new,
                              region_kib, tag):
    """Data survives a detach, a reattach and a new server.

    1. member i writes region i; every member reads every region;
    2. the last member is detached (`detach(member)`); the others still
       read every region;
    3. a new guest is attached (`attach_new()` -> Member) and reads every
       region;
    4. the detached guest is attached again (`reattach(member)` -> Member)
       and reads every region, as do all the others.

    :returns: the members holding the volume at the end.
    """
    count = raw_block_procedure(members, region_kib, tag)
    leaving = members[-1]
    staying = members[:-1]
    LOG.info('Detach: %s leaves, %s stay', leaving.name,
             [m.name for m in staying])
    detach(leaving)
    verify_regions(staying, count, region_kib, tag)
    newcomer = attach_new()
    LOG.info('Detach: new guest %s reads what the others wrote',
             newcomer.name)
    verify_regions([newcomer], count, region_kib, tag)
    back = reattach(leaving)
    LOG.info('Detach: %s is back as %s', back.name, back.device)
    holders = staying + [newcomer, back]
    verify_regions(holders, count, region_kib, tag)
    return holders


def readonly_procedure(writer, make_readers, region_kib, tag):
    """Data written read-write is readable read-only; writes are refused.

    1. `writer` (read-write) writes regions 0 and 1;
    2. `make_readers()` gives the members holding the volume read-only
       (a cloud detaches the writer, sets the readonly flag and attaches
       the readers);
    3. every reader sees a read-only device, reads both regions, has a
       write refused, and reads both regions unchanged afterwards.

    :returns: the read-only members.
    """
    count = 2
    for index in range(count):
        writer.guest.write_region(writer.device, index, region_kib, tag)
    verify_regions([writer], count, region_kib, tag)
    readers = make_readers()
    for reader in readers:
        if not reader.guest.is_read_only(reader.device):
            _mismatch(reader, 'the read-only flag of ' + reader.device,
                      'read-only', 'read-write')
    verify_regions(readers, count, region_kib, tag)
    for reader in readers:
        reader.guest.write_must_fail(reader.device)
    verify_regions(readers, count, region_kib, tag)
    return readers


def extend_procedure(members, extend, new_size_bytes, region_kib, tag):
    """Every guest sees the new size; old and new space keep data.

    1. the first member writes region 0; all read it;
    2. `extend()` grows the volume to `new_size_bytes`;
    3. every member waits until it sees the new size;
    4. the first member writes a region lying beyond the old end; every
       member reads region 0 and that one back.

    :returns: the index of the region written beyond the old end.
    """
    first = members[0]
    old_size = first.guest.size_bytes(first.device)
    if new_size_bytes <= old_size:
        raise ValueError('New size %d is not larger than the old %d'
                         % (new_size_bytes, old_size))
    first.guest.write_region(first.device, 0, region_kib, tag)
    verify_regions(members, 1, region_kib, tag)
    extend()
    for member in members:
        member.guest.wait_for_size(member.device, new_size_bytes)
    region_bytes = region_kib * 1024
    beyond = -(-old_size // region_bytes)
    if (beyond + 1) * region_bytes > new_size_bytes:
        raise ValueError('No whole %d KiB region fits beyond the old end'
                         % region_kib)
    first.guest.write_region(first.device, beyond, region_kib, tag)
    verify_regions(members, [0, beyond], region_kib, tag)
    return beyond


# -- I/O that must not notice what happens to the volume elsewhere ------------

class IOInterrupted(AssertionError):
    """A guest's background I/O failed, or read other data than written."""


#: Completed rounds the I/O loop must show after the event it runs across.
ROUNDS_AFTER = 2

#: What io_across saw: the event's result, the loop (common.guest.IOLoop:
#: its device, regions, whether it used O_DIRECT), the rounds completed
#: before the event returned and the rounds completed in all.
IOAcross = collections.namedtuple('IOAcross',
                                  'result loop rounds_before rounds')


def _io_failure(member, loop, status, during):
    log = status.tail()
    console = member.guest.console_tail()
    message = ('Guest %s: its I/O on %s failed while %s: %s\n--- I/O loop '
               'log (%s) ---\n%s\n--- guest console ---\n%s'
               % (member.name, loop.device, during,
                  '; '.join(status.failures) or 'the loop stopped after %s '
                  'rounds without a failure line' % status.stopped,
                  'O_DIRECT' if loop.direct else 'buffered, no O_DIRECT',
                  log, console))
    LOG.error(message)
    raise IOInterrupted(message)


def _wait_for_rounds(member, loop, rounds, during, started=False):
    """Wait until the loop completed `rounds`; fail at its first failure.

    started: the loop was seen running before; a log that is gone since
    (the guest's /tmp is in memory) means the guest restarted.
    """
    def done():
        status = member.guest.io_loop_status(loop)
        if status.failures or status.stopped is not None:
            _io_failure(member, loop, status, during)
        if status.pending and started:
            member.guest.assert_same_boot(during)
            member.guest.fail('the log of the I/O loop on %s is gone while '
                              '%s' % (loop.device, during))
        if status.pending:
            return False, 'not started yet'
        if not status.alive:
            # It may have logged its failure between the two reads.
            status = member.guest.io_loop_status(loop)
            if status.failures or status.stopped is not None:
                _io_failure(member, loop, status, during)
            member.guest.fail('the I/O loop on %s died without a word while '
                              '%s; its log:\n%s'
                              % (loop.device, during, status.tail()))
        return status.rounds >= rounds, status.rounds
    what = '%d rounds of the I/O loop on %s (%s)' % (
        rounds, loop.device, during)
    return member.guest.wait_for(done, what)


def io_across(member, event, during, loop_regions, static_regions,
              region_kib, tag, static_tag, rounds_after=ROUNDS_AFTER):
    """Keep raw I/O going in `member`'s guest while `event()` happens.

    1. start the guest's I/O loop (Guest.start_io_loop): each round writes
       `loop_regions` and reads them back, and reads `static_regions`
       (written before with `static_tag`), all with O_DIRECT where dd has
       it, every read checked against the pattern's md5;
    2. wait until it completed a round (it really runs);
    3. `event()` (a detach of another holder, a live migration ...);
    4. wait until `rounds_after` more rounds completed after the event
       returned;
    5. stop the loop; its log must show no I/O error and every round
       intact, else IOInterrupted names the guest, its device, what
       happened meanwhile and the loop's first failure.

    The loop is stopped also when a step fails, so that the guest can be
    detached afterwards.

    :returns: an IOAcross.
    """
    loop = member.guest.start_io_loop(member.device, loop_regions,
                                      static_regions, region_kib, tag,
                                      static_tag)
    try:
        _wait_for_rounds(member, loop, 1, 'starting')
        LOG.info('I/O loop of %s runs (%s); now: %s', member.name, loop,
                 during)
        result = event()
        before = member.guest.io_loop_status(loop).rounds
        _wait_for_rounds(member, loop, before + rounds_after, during,
                         started=True)
    except Exception:
        try:
            member.guest.stop_io_loop(loop)
        except Exception:
            LOG.exception('Guest %s: stopping the I/O loop after a failure '
                          'also failed', member.name)
        raise
    status = member.guest.stop_io_loop(loop)
    if status.failures:
        _io_failure(member, loop, status, during)
    LOG.info('I/O loop of %s: %d rounds intact (%d before the end of: %s)',
             member.name, status.stopped, before, during)
    return IOAcross(result, loop, before, status.stopped)


def _verify_io_loop_data(members, across, static_tag):
    """Every member reads what the loop last wrote and the static regions."""
    loop = across.loop
    verify_regions(members, loop.static_regions, loop.region_kib, static_tag)
    verify_regions(members, loop.loop_regions, loop.region_kib,
                   loop.tag_after(across.rounds))


def survivor_io_procedure(survivor, leaving, detach, detach_survivor,
                          region_kib, tag):
    """The survivor's I/O goes on while another holder is detached.

    A detach must tear down only the leaving holder's connection, never
    one another holder on the same host still uses (nova bug 1752115 and
    its family).

    1. the survivor writes region 0, the leaving holder region 1; both
       read both;
    2. the survivor starts its I/O loop (regions 2 and 3 written and read
       back each round, regions 0 and 1 read) and `detach(leaving)`
       detaches the other holder meanwhile (io_across): no I/O error, every
       round intact;
    3. the survivor reads regions 0 and 1 and what its loop wrote last;
    4. `detach_survivor(survivor)` detaches the survivor too: it leaves
       cleanly.

    :returns: the IOAcross of step 2.
    """
    raw_block_procedure([survivor, leaving], region_kib, tag)
    across = io_across(
        survivor, lambda: detach(leaving), 'detaching %s' % leaving.name,
        [2, 3], [0, 1], region_kib, tag, tag)
    _verify_io_loop_data([survivor], across, tag)
    LOG.info('Survivor %s: data intact after the detach of %s; detaching '
             'it too', survivor.name, leaving.name)
    detach_survivor(survivor)
    return across


def io_across_move_procedure(moving, staying, move, region_kib, tag):
    """A holder keeps writing while it moves; both read its data after.

    1. the moving holder writes region 0, the staying one region 1; both
       read both;
    2. the moving holder runs its I/O loop (regions 2 and 3 written, read
       back; 0 and 1 read) while `move()` moves it (a live migration):
       no I/O error, every round intact (io_across);
    3. both holders read regions 0 to 3: what was written before the move
       and what the loop last wrote.

    :returns: the IOAcross of step 2 (its result is move()'s).
    """
    raw_block_procedure([moving, staying], region_kib, tag)
    across = io_across(
        moving, move, 'moving %s' % moving.name, [2, 3], [0, 1],
        region_kib, tag, tag)
    _verify_io_loop_data([moving, staying], across, tag)
    return across


def data_across_move_procedure(members, move, region_kib, tag):
    """Data written before a holder moved is read after; and new data too.

    1. member i writes region i; every member reads every region;
    2. `move(members)` moves a holder (a cold migration) and returns the
       members as they are afterwards (the moved guest's disk found
       again);
    3. every member reads regions 0..n-1;
    4. member i writes region n+i; every member reads all 2n regions.

    :returns: the members after the move.
    """
    count = raw_block_procedure(members, region_kib, tag)
    members = move(members)
    LOG.info('After the move: %s read what was written before',
             [m.name for m in members])
    verify_regions(members, count, region_kib, tag)
    for index, member in enumerate(members):
        member.guest.write_region(member.device, count + index, region_kib,
                                  tag)
    verify_regions(members, 2 * count, region_kib, tag)
    return members
