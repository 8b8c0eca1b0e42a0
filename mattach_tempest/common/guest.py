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

"""What the multiattach scenario tests do inside a guest, over SSH.

A Guest wraps a remote client (anything with ``exec_command(cmd)``, such as
tempest.lib's RemoteClient or the one tempest.scenario.manager's
get_remote_client returns) and runs CirrOS-compatible commands through it:
busybox ash and applets, ``sudo``, no bash, no python. Options used are the
ones busybox's applets have (dd if/of/bs/count/seek/skip, and
iflag/oflag=direct with conv=notrunc in the I/O loop only; blockdev
--getsize64/--getro/--flushbufs; md5sum/sha1sum on stdin; awk printf
with %s and zero-padded %d).

Rules every helper keeps:

* every wait is bounded (tempest's [compute] build_timeout/build_interval
  unless the caller gives its own) and names what it waited for;
* any failure (a command failing, a wait timing out, data that differs)
  raises GuestError carrying the tail of the guest's console, read through
  the callable given at construction (for example a partial of
  servers_client.get_console_output), and logs the same;
* nothing secret is logged: commands carry no credential, and the remote
  client logs only the command.

The shared volume is found in the guest by its virtio serial, the first 20
characters of the volume id: through the udev link
/dev/disk/by-id/virtio-<serial>; else, where the image has no udev (real
CirrOS manages /dev with devtmpfs only), through the serial the kernel
shows in /sys/block/vd*/serial; else by the difference of the disk list
before and after the attach.
"""

import hashlib
import os
import re
import shlex
import time

from oslo_log import log as logging
from tempest import config
from tempest.lib import exceptions as lib_exc

CONF = config.CONF
LOG = logging.getLogger(__name__)

#: virtio-blk serial numbers are at most 20 bytes long: nova sets the
#: volume id as the serial and the guest sees its first 20 characters.
VIRTIO_SERIAL_LENGTH = 20
#: How many trailing lines of the console an error carries.
CONSOLE_TAIL_LINES = 60
#: Bytes per line of a region pattern (see region_pattern).
PATTERN_LINE_BYTES = 64
_TAG_RE = re.compile(r'^[A-Za-z0-9_-]{1,16}$')
# Fixed-width fields: every line is PATTERN_LINE_BYTES long whatever the
# region and line numbers (up to the limits below) and the tag (up to 16).
_PATTERN_PREFIX = 'mattach-tempest tag=%s region=%07d line=%06d'
_MAX_REGION_INDEX = 10 ** 7 - 1
_MAX_LINES = 10 ** 6
_FS_FORCE_OPTIONS = {'ext2': '-F -q', 'ext3': '-F -q', 'ext4': '-F -q',
                     'xfs': '-f -q', 'btrfs': '-f -q'}
_NOT_DISKS = re.compile(r'^(loop|ram|zram|sr|fd|nbd|md|dm-)\d*')


class GuestError(lib_exc.TempestException):
    """A guest-side step failed; the message carries the console's tail."""

    message = '%(reason)s'


def by_id_path(volume_id):
    """The udev link of a virtio disk whose serial is the volume id."""
    return '/dev/disk/by-id/virtio-%s' % volume_id[:VIRTIO_SERIAL_LENGTH]


def parse_serials(output):
    """{disk name: serial} from lines '/sys/block/<name>/serial <serial>'.

    What Guest.device_by_serial's command prints; a disk whose serial is
    empty is left out.
    """
    serials = {}
    for line in output.splitlines():
        fields = line.split(None, 1)
        if len(fields) != 2:
            continue
        parts = fields[0].split('/')
        if (len(parts) != 5 or parts[:3] != ['', 'sys', 'block'] or
                parts[4] != 'serial'):
            continue
        serials[parts[3]] = fields[1].strip()
    return serials


def check_tag(tag):
    if not _TAG_RE.match(tag):
        raise ValueError('A pattern tag is 1-16 characters of [A-Za-z0-9_-]'
                         ', not %r' % tag)
    return tag


def _pattern_padding(tag):
    return '.' * (PATTERN_LINE_BYTES - 1 - len(_PATTERN_PREFIX % (tag, 0, 0)))


def _pattern_lines(index, region_kib):
    """Lines of a region's pattern; refuses numbers the fields cannot hold.

    A wider number would make longer lines: a region larger than
    region_kib, cut short by the write, and a checksum that never matches.
    """
    lines = region_kib * 1024 // PATTERN_LINE_BYTES
    if not 0 <= index <= _MAX_REGION_INDEX:
        raise ValueError('Region index %d is outside 0-%d'
                         % (index, _MAX_REGION_INDEX))
    if lines > _MAX_LINES:
        raise ValueError('A region of %d KiB has more than %d lines'
                         % (region_kib, _MAX_LINES))
    return lines


def region_pattern(tag, index, region_kib):
    """The bytes a guest writes into region `index` (see Guest.write_region).

    64-byte lines naming the tag, the region and the line number, so a
    region written at the wrong offset, another region's data, a short
    write or stale data all change the checksum.
    """
    check_tag(tag)
    pad = _pattern_padding(tag)
    lines = _pattern_lines(index, region_kib)
    return ''.join('%s%s\n' % (_PATTERN_PREFIX % (tag, index, n), pad)
                   for n in range(lines)).encode('ascii')


def region_checksum(tag, index, region_kib, algorithm='md5'):
    """The checksum of region_pattern(tag, index, region_kib)."""
    return hashlib.new(algorithm,
                       region_pattern(tag, index, region_kib)).hexdigest()


def parse_lsblk(output):
    """{name: size in bytes} of the disks in `lsblk -lb --nodeps` output.

    Only rows whose TYPE is disk (not loop, rom, part); continuation lines
    of a multi-line MOUNTPOINTS column start with blanks and are skipped.
    """
    lines = output.splitlines()
    if not output.strip():
        return {}  # lsblk prints nothing, not even a header, without disks
    for number, line in enumerate(lines):
        header = line.split()
        if 'NAME' in header and 'TYPE' in header:
            break
    else:
        raise ValueError('No NAME/TYPE header in lsblk output: %r' % output)
    name_col = header.index('NAME')
    type_col = header.index('TYPE')
    size_col = header.index('SIZE') if 'SIZE' in header else None
    disks = {}
    for line in lines[number + 1:]:
        if not line or line[0].isspace():
            continue
        fields = line.split()
        if len(fields) <= type_col or fields[type_col] != 'disk':
            continue
        size = int(fields[size_col]) if size_col is not None else None
        disks[fields[name_col]] = size
    return disks


def parse_partitions(output):
    """{name: size in bytes} of the whole disks listed in /proc/partitions.

    Partitions (a disk's name followed by digits, or by p and digits) and
    loop, ram, optical and device-mapper devices are left out.
    """
    entries = {}
    for line in output.splitlines():
        fields = line.split()
        if len(fields) != 4 or not fields[0].isdigit():
            continue
        entries[fields[3]] = int(fields[2]) * 1024
    disks = {}
    for name, size in entries.items():
        if _NOT_DISKS.match(name):
            continue
        if any(other != name and name.startswith(other) and
               re.match(r'^p?\d+$', name[len(other):])
               for other in entries):
            continue
        disks[name] = size
    return disks


# -- the background I/O loop (Guest.start_io_loop) ---------------------------

#: Lines of the loop's log (one event a line):
#:   START device=<dev> direct=<0|1> pid=<pid>
#:   ROUND <n> ok            every region of round n written/read intact
#:   FAIL round=<n> <what>   the first failure; the loop stops on it
#:   STOPPED rounds=<n>      the loop ended (asked to, or after a FAIL)
_IO_LOOP_SCRIPT = r"""
dev=%(dev)s; dir=%(dir)s; bs=%(bs)d; pause=%(pause)d
log="$dir/log"; stop="$dir/stop"
%(sums)s
round=0
fail() {
    echo "FAIL round=$round $*" >> "$log"
    echo "STOPPED rounds=$((round - 1))" >> "$log"
    exit 1
}
check() {  # check REGION EXPECTED-MD5
    out=$(dd if="$dev" of="$dir/read" bs=$bs skip=$1 count=1 %(iflag)s 2>&1) \
        || fail "I/O error reading region $1 of $dev: $(echo $out)"
    got=$(md5sum < "$dir/read"); got=${got%%%% *}
    [ "$got" = "$2" ] || fail "region $1 of $dev reads md5 $got, expected $2"
}
echo $$ > "$dir/pid"
echo "START device=$dev direct=%(direct)d pid=$$" >> "$log"
while [ ! -e "$stop" ]; do
    round=$((round + 1))
    p=$((round %% 2))
    # A device node that vanished would make dd create a file: no I/O.
    [ -b "$dev" ] || fail "$dev is no longer a block device"
    for r in %(loop)s; do
        out=$(dd if="$dir/p$p-r$r" of="$dev" bs=$bs seek=$r count=1 \
              conv=notrunc%(oflag)s 2>&1) \
            || fail "I/O error writing region $r of $dev: $(echo $out)"
    done
    %(flush)s
    for r in %(loop)s; do eval want=\$e${p}_$r; check $r "$want"; done
    for r in %(static)s; do eval want=\$s_$r; check $r "$want"; done
    echo "ROUND $round ok" >> "$log"
    sleep $pause
done
echo "STOPPED rounds=$round" >> "$log"
"""


class IOLoop(object):
    """A background I/O loop in a guest (see Guest.start_io_loop)."""

    def __init__(self, device, directory, loop_regions, static_regions,
                 region_kib, tags, direct):
        self.device = device
        self.directory = directory
        self.loop_regions = list(loop_regions)
        self.static_regions = list(static_regions)
        self.region_kib = region_kib
        self.tags = tags
        self.direct = direct

    def tag_after(self, rounds):
        """The tag of the pattern the loop regions hold after `rounds`."""
        return self.tags[rounds % 2]

    def __repr__(self):
        return '<IOLoop %s regions %s, reads %s, %s>' % (
            self.device, self.loop_regions, self.static_regions,
            'O_DIRECT' if self.direct else 'buffered')


def io_loop_tags(tag):
    """The two tags the loop regions alternate between, round by round.

    Each round writes the other pattern, so a write that does not reach
    the disk leaves the previous round's data and fails the read-back.
    """
    check_tag(tag)
    return (tag[:15] + 'a', tag[:15] + 'b')


class IOLoopLog(object):
    """What an I/O loop's log says (parse_io_log)."""

    def __init__(self, text):
        self.text = text
        self.rounds = 0
        self.failures = []
        self.stopped = None
        self.direct = None
        self.pid = None
        self.alive = False
        for line in text.splitlines():
            words = line.split()
            if not words:
                continue
            if words[0] == 'START':
                fields = dict(w.split('=', 1) for w in words[1:] if '=' in w)
                self.direct = fields.get('direct') == '1'
                self.pid = fields.get('pid')
            elif words[0] == 'ROUND' and len(words) > 1:
                self.rounds = int(words[1])
            elif words[0] == 'FAIL':
                # 'FAIL round=<n> <what>' -> 'in round <n>: <what>'
                what = line[len('FAIL '):]
                if what.startswith('round='):
                    number, _sep, what = what[len('round='):].partition(' ')
                    what = 'in round %s: %s' % (number, what)
                self.failures.append(what)
            elif words[0] == 'STOPPED':
                self.stopped = int(words[1].split('=', 1)[1])
            elif words[0] == _LOOP_ALIVE:
                self.alive = True

    @property
    def started(self):
        return self.pid is not None

    @property
    def pending(self):
        """Neither started nor alive: not run yet, not dead.

        The loop is started in the background; wait for it.
        """
        return not self.started and not self.alive

    def tail(self, lines=20):
        return '\n'.join(line for line in self.text.splitlines()[-lines:]
                         if line != _LOOP_ALIVE)


#: What the status command prints after the log while the loop runs.
_LOOP_ALIVE = 'MATTACH-IO-LOOP-ALIVE'


def parse_io_log(text):
    """An IOLoopLog of the loop's log (and the liveness line, if any)."""
    return IOLoopLog(text)


class Guest(object):
    """Commands run in one guest through its remote client.

    :param remote_client: has exec_command(cmd) -> stdout, raising
        tempest.lib.exceptions.SSHExecCommandFailed on a non-zero exit.
    :param name: how logs and errors name the guest (the server name).
    :param console: a callable returning the guest console (a string, or a
        dict with 'output' as servers_client.get_console_output returns);
        called only when something fails.
    :param timeout: bound of every wait in seconds;
        [compute] build_timeout when None.
    :param interval: seconds between polls; [compute] build_interval.
    """

    def __init__(self, remote_client, name, console=None, timeout=None,
                 interval=None):
        self.remote = remote_client
        self.name = name
        self._console = console
        self._timeout = timeout
        self._interval = interval
        self._disk_source = None
        self._boot_id = None

    def __repr__(self):
        return '<Guest %s>' % self.name

    @property
    def timeout(self):
        if self._timeout is None:
            return CONF.compute.build_timeout
        return self._timeout

    @property
    def interval(self):
        if self._interval is None:
            return CONF.compute.build_interval
        return self._interval

    # -- running commands and failing with the console --------------------

    def console_tail(self, lines=CONSOLE_TAIL_LINES):
        """The last lines of the guest console, or why there is none."""
        if self._console is None:
            return '(no console reader given)'
        try:
            output = self._console()
        except Exception as exc:
            return '(console unavailable: %s)' % exc
        if isinstance(output, dict):
            output = output.get('output', '')
        output = output or ''
        return '\n'.join(output.splitlines()[-lines:])

    def fail(self, reason, cause=None):
        """Log and raise GuestError with the console tail."""
        console = self.console_tail()
        message = ('Guest %s: %s\n--- guest console (last %d lines) ---\n%s'
                   % (self.name, reason, CONSOLE_TAIL_LINES, console))
        LOG.error(message)
        raise GuestError(reason=message) from cause

    @staticmethod
    def as_root(script):
        """A command running the shell `script` as root through one sudo.

        Each sudo costs the guest ~0.2 s of CPU under qemu TCG (loading
        sudo, its plugin and PAM), more than the work of most commands:
        the steps of one command share one sudo. The inner shell stops at
        the first failing step and pipeline (set -eu -o pipefail), as the
        remote client's shell does for the command as a whole.
        """
        return 'sudo sh -c %s' % shlex.quote('set -eu -o pipefail; ' + script)

    def run(self, command, what=None):
        """Run a command; a failure raises GuestError naming `what`."""
        try:
            return self.remote.exec_command(command)
        except Exception as exc:
            self.fail('%s failed: %s' % (what or command, exc), exc)

    def wait_for(self, probe, what, timeout=None):
        """Call probe() until it returns (True, value); return value.

        probe() returns (done, observation); the last observation goes into
        the error when the wait times out.
        """
        timeout = self.timeout if timeout is None else timeout
        start = time.time()
        while True:
            done, seen = probe()
            if done:
                LOG.debug('Guest %s: %s after %.1f s', self.name, what,
                          time.time() - start)
                return seen
            if time.time() - start >= timeout:
                self.fail('timed out after %s s waiting for %s; last seen: '
                          '%s' % (timeout, what, seen))
            time.sleep(self.interval)

    # -- the guest's own boot ------------------------------------------------

    def boot_id(self):
        """The guest kernel's boot id: a new random one at every boot."""
        return self.run('cat /proc/sys/kernel/random/boot_id',
                        'reading the boot id').strip()

    def note_boot(self):
        """Remember the boot the guest runs now (assert_same_boot)."""
        self._boot_id = self.boot_id()

    def assert_same_boot(self, during):
        """Fail unless the guest still runs the boot note_boot saw.

        A guest that restarts on its own (a kernel panic, with panic=N on
        its command line) answers SSH again and still reads the shared
        volume; only its boot id tells.
        """
        now = self.boot_id()
        if now != self._boot_id:
            self.fail('the guest restarted %s, which no step asked for '
                      '(boot id %s, now %s): a kernel panic or a crash of '
                      'its qemu' % (during, self._boot_id, now))

    # -- disks ---------------------------------------------------------------

    def list_disks(self, source='auto'):
        """{name: size in bytes} of the guest's whole disks.

        :param source: 'lsblk' (`lsblk -lb --nodeps`, as tempest's
            get_disks), 'partitions' (/proc/partitions), or 'auto': lsblk
            when the image has it.
        """
        if source == 'auto':
            if self._disk_source is None:
                self._disk_source = self.run(
                    'if command -v lsblk >/dev/null 2>&1; then echo lsblk; '
                    'else echo partitions; fi', 'looking for lsblk').strip()
            source = self._disk_source
        if source == 'lsblk':
            return parse_lsblk(self.run('lsblk -lb --nodeps',
                                        'listing disks with lsblk'))
        if source == 'partitions':
            return parse_partitions(self.run('cat /proc/partitions',
                                             'reading /proc/partitions'))
        raise ValueError('Unknown disk list source %r' % source)

    def device_by_id(self, volume_id):
        """The device the by-id link of the volume points to, or None."""
        link = shlex.quote(by_id_path(volume_id))
        found = self.run('if [ -e %s ]; then readlink -f %s; fi'
                         % (link, link), 'resolving %s' % link).strip()
        return found or None

    def device_by_serial(self, volume_id):
        """The virtio disk whose serial is the volume's, or None.

        Reads /sys/block/vd*/serial (virtio-blk disks; the kernel shows
        the serial nova set, the volume id cut to 20 characters) with
        busybox sh and cat only, so it works without udev. More than one
        disk with the serial fails at once, naming them.
        """
        serial = volume_id[:VIRTIO_SERIAL_LENGTH]
        output = self.run(
            'for f in /sys/block/vd*/serial; do if [ -r "$f" ]; then '
            'echo "$f $(cat "$f")"; fi; done',
            'reading the serials in /sys/block/vd*/serial')
        names = sorted(name for name, found in parse_serials(output).items()
                       if found == serial)
        if len(names) > 1:
            self.fail('disks %s all have the serial %s of volume %s'
                      % (names, serial, volume_id))
        return '/dev/' + names[0] if names else None

    def find_volume_device(self, volume_id, disks_before=None,
                           size_bytes=None, hint=None, source='auto',
                           by_id=True, by_serial=True, timeout=None):
        """Wait until the guest sees the volume; return its device path.

        First the by-id link (when `by_id`); then the virtio serial in
        /sys/block (when `by_serial`); else the disks that are new
        since `disks_before` (the list_disks() taken before the attach).
        Without `disks_before` (a server booted with the volume) every
        disk is a candidate. More than one candidate is narrowed down by
        `size_bytes` (the volume's size), then by `hint` (the device name
        the API reported: a hint only, guests name disks their own way);
        still more than one fails at once, naming them.
        """
        def probe():
            if by_id:
                device = self.device_by_id(volume_id)
                if device:
                    return True, (device, 'by-id link')
            if by_serial:
                device = self.device_by_serial(volume_id)
                if device:
                    return True, (device, 'virtio serial in /sys/block')
            disks = self.list_disks(source)
            if disks_before is None:
                candidates = dict(disks)
            else:
                candidates = {name: size for name, size in disks.items()
                              if name not in disks_before}
            chosen = self._narrow(candidates, size_bytes, hint)
            if len(chosen) == 1:
                return True, ('/dev/' + chosen[0],
                              'disk list (before: %s, now: %s)'
                              % (sorted(disks_before or []), sorted(disks)))
            if len(chosen) > 1:
                self.fail('cannot tell which of the disks %s is volume %s '
                          '(size %s, hint %s, disks before the attach %s)'
                          % (chosen, volume_id, size_bytes, hint,
                             disks_before))
            return False, {'disks': disks, 'before': disks_before}

        device, how = self.wait_for(
            probe, 'volume %s to appear as a disk' % volume_id, timeout)
        LOG.info('Guest %s sees volume %s as %s (found by %s)',
                 self.name, volume_id, device, how)
        return device

    @staticmethod
    def _narrow(candidates, size_bytes, hint):
        names = sorted(candidates)
        if len(names) > 1 and size_bytes is not None:
            sized = [n for n in names if candidates[n] == size_bytes]
            names = sized or names
        if len(names) > 1 and hint:
            hinted = [n for n in names if n == os.path.basename(hint)]
            names = hinted or names
        return names

    def wait_for_device_gone(self, device, source='auto', timeout=None):
        """Wait until `device` is no longer among the guest's disks."""
        name = os.path.basename(device)

        def probe():
            disks = self.list_disks(source)
            return name not in disks, sorted(disks)
        self.wait_for(probe, '%s to leave the disk list' % device, timeout)

    def size_bytes(self, device):
        """The size of a block device as the guest sees it."""
        return int(self.run('sudo blockdev --getsize64 %s'
                            % shlex.quote(device),
                            'reading the size of %s' % device).strip())

    def wait_for_size(self, device, expected, timeout=None):
        """Wait until the guest sees `device` with `expected` bytes."""
        def probe():
            size = self.size_bytes(device)
            return size == expected, size
        return self.wait_for(probe, '%s to be %d bytes' % (device, expected),
                             timeout)

    def is_read_only(self, device):
        return self.run('sudo blockdev --getro %s' % shlex.quote(device),
                        'reading the ro flag of %s' % device).strip() == '1'

    def flush(self, device):
        """Write back and drop the guest's cached blocks of `device`.

        A later read then comes from the disk, not from what this guest
        cached before another guest wrote.
        """
        self.run('sync && sudo blockdev --flushbufs %s' % shlex.quote(device),
                 'flushing %s' % device)

    # -- filesystems ---------------------------------------------------------

    def mkfs(self, device, fs=None):
        """Create a filesystem ([mattach] guest_filesystem when None)."""
        fs = fs or CONF.mattach.guest_filesystem
        options = _FS_FORCE_OPTIONS.get(fs, '')
        self.run('sudo mkfs.%s %s %s' % (fs, options, shlex.quote(device)),
                 'creating a %s filesystem on %s' % (fs, device))

    def mount(self, device, mount_point, read_only=False):
        mount_point = shlex.quote(mount_point)
        self.run(self.as_root('mkdir -p %s && mount %s%s %s'
                              % (mount_point, '-o ro ' if read_only else '',
                                 shlex.quote(device), mount_point)),
                 'mounting %s on %s' % (device, mount_point))

    def umount(self, mount_point):
        self.run('sync && sudo umount %s' % shlex.quote(mount_point),
                 'unmounting %s' % mount_point)

    def is_mounted(self, mount_point):
        mounts = self.run('cat /proc/mounts', 'reading /proc/mounts')
        return any(len(line.split()) > 1 and line.split()[1] == mount_point
                   for line in mounts.splitlines())

    def write_line(self, path, line, append=False):
        """Write (or append) one line to a file as root."""
        self.run("printf '%%s\\n' %s | sudo tee %s%s >/dev/null"
                 % (shlex.quote(line), '-a ' if append else '',
                    shlex.quote(path)),
                 '%s a line to %s' % ('appending' if append else 'writing',
                                      path))

    def exists(self, path):
        """Whether `path` exists (tested as root)."""
        return self.run('if sudo test -e %s; then echo yes; else echo no; fi'
                        % shlex.quote(path),
                        'looking for %s' % path).strip() == 'yes'

    def read_file(self, path):
        """The exact content of a file, read as root."""
        return self.run('sudo cat %s' % shlex.quote(path),
                        'reading %s' % path)

    def sync(self):
        self.run('sync', 'sync')

    # -- raw block -----------------------------------------------------------

    @staticmethod
    def _pattern_script(tag, index, region_kib, path):
        """An awk program writing region_pattern(...) to `path`.

        awk, not a loop of the shell's printf: under qemu TCG busybox ash
        took ~0.3 s of CPU for the 1024 lines of a 64 KiB region.
        """
        lines = _pattern_lines(index, region_kib)
        line_format = _PATTERN_PREFIX + _pattern_padding(tag) + '\\n'
        program = ('BEGIN { for (n = 0; n < %d; n++) printf "%s", "%s", %d, '
                   'n }' % (lines, line_format, check_tag(tag), index))
        return 'awk %s > %s' % (shlex.quote(program), path)

    def _make_pattern_file(self, tag, index, region_kib, path):
        """Generate region_pattern(tag, index) into `path` in the guest.

        The guest generates it with awk; its checksum is
        checked against the one computed here.
        """
        check_tag(tag)
        if region_kib * 1024 % PATTERN_LINE_BYTES:
            raise ValueError('region_kib * 1024 must be a multiple of %d'
                             % PATTERN_LINE_BYTES)
        made = self.run(
            '%s && md5sum %s' % (self._pattern_script(tag, index, region_kib,
                                                      path), path),
            'generating the pattern of region %d' % index).split()[0]
        expected = region_checksum(tag, index, region_kib)
        if made != expected:
            self.fail('the pattern of region %d generated in the guest has '
                      'md5 %s, expected %s: the guest awk differs'
                      % (index, made, expected))

    def write_region(self, device, index, region_kib, tag):
        """Write region_pattern(tag, index) at offset index * region_kib KiB.

        The guest generates the pattern with awk, checks its
        checksum against the one computed here, writes it with dd and
        flushes it to the disk.
        """
        path = '/tmp/mattach-pattern-%s-%d' % (tag, index)
        self._make_pattern_file(tag, index, region_kib, path)
        dev = shlex.quote(device)
        self.run(self.as_root(
            'dd if=%s of=%s bs=1024 seek=%d count=%d && rm -f %s && sync '
            '&& blockdev --flushbufs %s'
            % (path, dev, index * region_kib, region_kib, path, dev)),
            'writing region %d (%d KiB) of %s' % (index, region_kib, device))

    def region_checksums(self, device, indexes, region_kib,
                         algorithm='md5'):
        """Checksums of the regions `indexes`, as read now from the disk.

        The guest's cached blocks of the device are dropped first, so what
        another guest wrote is read from the disk. Returns a list in the
        order of `indexes`.
        """
        indexes = list(indexes)
        tool = {'md5': 'md5sum', 'sha1': 'sha1sum'}[algorithm]
        dev = shlex.quote(device)
        output = self.run(self.as_root(
            'blockdev --flushbufs %s && for i in %s; do '
            'dd if=%s bs=1024 skip=$((i*%d)) count=%d 2>/dev/null | %s; done'
            % (dev, ' '.join('%d' % i for i in indexes), dev, region_kib,
               region_kib, tool)),
            'reading regions %s of %s' % (indexes, device))
        sums = [line.split()[0] for line in output.splitlines()
                if line.strip()]
        if len(sums) != len(indexes):
            self.fail('read %d checksums of %s, expected %d: %r'
                      % (len(sums), device, len(indexes), output))
        return sums

    def write_must_fail(self, device):
        """Try to write one block to `device`; return the error it gave.

        Raises GuestError when the write succeeds (the device took a write
        it must refuse). The block written would be zeros at offset 0, so
        a read-only device that wrongly takes it visibly loses data.
        """
        output = self.run(
            'if out=$(sudo dd if=/dev/zero of=%s bs=1024 count=1 2>&1 && '
            'sync && sudo blockdev --flushbufs %s 2>&1); then '
            'echo MATTACH-WRITE-ACCEPTED; else echo "MATTACH-WRITE-REFUSED '
            'rc=$?"; fi; echo "$out"'
            % (shlex.quote(device), shlex.quote(device)),
            'trying a write to %s' % device)
        if 'MATTACH-WRITE-REFUSED' not in output:
            self.fail('a write to %s succeeded but the device must be '
                      'read-only: %s' % (device, output.strip()))
        LOG.info('Guest %s: write to %s refused as expected: %s', self.name,
                 device, output.strip())
        return output

    # -- background I/O ------------------------------------------------------

    def probe_direct_io(self, device, region_kib):
        """Whether dd in the guest reads `device` with iflag=direct.

        busybox dd has iflag/oflag=direct from 1.33 (CirrOS 0.6 and the
        Debian 12 busybox have it); an older dd refuses the flag. A device
        that cannot be read at all fails here.
        """
        dev = shlex.quote(device)
        probe = ('sudo dd if=%s of=/dev/null bs=%d count=1 %%s >/dev/null '
                 '2>&1' % (dev, region_kib * 1024))
        found = self.run(
            'if %s; then echo direct; elif %s; then echo buffered; '
            'else echo unreadable; fi' % (probe % 'iflag=direct', probe % ''),
            'probing O_DIRECT reads of %s' % device).strip()
        if found == 'unreadable':
            self.fail('%s cannot be read with dd' % device)
        return found == 'direct'

    def start_io_loop(self, device, loop_regions, static_regions, region_kib,
                      tag, static_tag, pause=1, direct='auto'):
        """Start a loop of raw I/O on `device` in the background.

        Each round, until stop_io_loop: write the regions `loop_regions`
        (the pattern of io_loop_tags(tag), alternating round by round),
        read them back, and read the regions `static_regions` (written
        before with `static_tag`, never written by the loop); every read
        is checked against the pattern's md5. Reads and writes use
        O_DIRECT (dd iflag/oflag=direct), so they reach the disk, not the
        guest's page cache; where dd lacks the flag (direct=False, or
        'auto' finding none) writes are followed by sync and blockdev
        --flushbufs, and reads by nothing cached, which is slower but
        equivalent. The loop stops at the first I/O error or mismatch,
        logging it (see _IO_LOOP_SCRIPT for the log's lines). It runs as
        root, detached from the SSH session (setsid).

        :returns: an IOLoop for io_loop_status and stop_io_loop.
        """
        tags = io_loop_tags(tag)
        check_tag(static_tag)
        if direct == 'auto':
            direct = self.probe_direct_io(device, region_kib)
        directory = '/tmp/mattach-io-%s' % tag
        loop = IOLoop(device, directory, loop_regions, static_regions,
                      region_kib, tags, direct)
        self.run('rm -rf %s && mkdir -p %s' % (directory, directory),
                 'making %s' % directory)
        sums = []
        for parity, parity_tag in enumerate(tags):
            for index in loop.loop_regions:
                self._make_pattern_file(parity_tag, index, region_kib,
                                        '%s/p%d-r%d' % (directory, parity,
                                                        index))
                sums.append('e%d_%d=%s' % (parity, index, region_checksum(
                    parity_tag, index, region_kib)))
        for index in loop.static_regions:
            sums.append('s_%d=%s' % (index, region_checksum(
                static_tag, index, region_kib)))
        script = _IO_LOOP_SCRIPT % {
            'dev': shlex.quote(device), 'dir': directory,
            'bs': region_kib * 1024, 'pause': pause,
            'sums': '\n'.join(sums), 'direct': int(direct),
            'loop': ' '.join('%d' % i for i in loop.loop_regions),
            'static': ' '.join('%d' % i for i in loop.static_regions),
            'iflag': 'iflag=direct' if direct else '',
            'oflag': ' oflag=direct' if direct else '',
            'flush': ('' if direct else
                      'sync; blockdev --flushbufs "$dev" || '
                      'fail "I/O error flushing $dev"')}
        path = '%s/loop.sh' % directory
        self.run("printf '%%s' %s > %s" % (shlex.quote(script), path),
                 'writing the I/O loop script %s' % path)
        self.run("sudo sh -c 'if command -v setsid >/dev/null 2>&1; then "
                 "setsid sh %s; else sh %s; fi </dev/null >/dev/null 2>&1 &'"
                 % (path, path), 'starting the I/O loop on %s' % device)
        LOG.info('Guest %s: I/O loop started: %r', self.name, loop)
        return loop

    def io_loop_status(self, loop):
        """The loop's log as it is now (an IOLoopLog), with liveness.

        Liveness is read before the log: the loop writes its last line
        before it exits, so a loop found dead has its whole log read
        after. (Read the other way round, a loop ending between the two
        reads looked dead without its STOPPED line.)
        """
        return parse_io_log(self.run(
            "sudo sh -c 'alive=; if [ -r %(d)s/pid ] && "
            "kill -0 $(cat %(d)s/pid) 2>/dev/null; then alive=%(alive)s; "
            "fi; cat %(d)s/log 2>/dev/null; echo $alive'"
            % {'d': loop.directory, 'alive': _LOOP_ALIVE},
            'reading the I/O loop log of %s' % loop.device))

    def stop_io_loop(self, loop, timeout=None):
        """Ask the loop to stop; wait until it says it stopped.

        :returns: its final IOLoopLog (failures included: the caller
            decides).
        """
        self.run('sudo touch %s/stop' % loop.directory,
                 'asking the I/O loop on %s to stop' % loop.device)

        def stopped():
            status = self.io_loop_status(loop)
            if status.pending:
                # It will find the stop request and say STOPPED.
                return False, 'the loop has not started yet'
            if status.stopped is None and not status.alive:
                self.fail('the I/O loop on %s died without saying why; '
                          'its log:\n%s' % (loop.device, status.tail()))
            return status.stopped is not None, status.tail(3)
        self.wait_for(stopped, 'the I/O loop on %s to stop' % loop.device,
                      timeout)
        return self.io_loop_status(loop)
