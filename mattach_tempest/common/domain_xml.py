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

"""What a compute host's libvirt says of a multiattach volume's disk.

Nova writes a volume it attaches to several servers into each domain as a
shareable disk with the host page cache off (nova.virt.libvirt's volume
driver sets <shareable/> for a multiattach connection, and the driver then
forces cache='none' on any shareable disk), and a read-only attachment
(access_mode ro) with <readonly/>. The disk is the one whose <serial> is
the volume id.

The domain XML is read through the python libvirt module, imported only
when a test reads a host: a test environment without it fails with a
message saying so, the XML checks do not need it.
"""

from xml.etree import ElementTree


READ_ONLY_MISSING = 'the read-only attachment lacks <readonly/>'


def read_domain_xml(uri, domain_name):
    """The live XML of domain `domain_name` at libvirt `uri` (read-only)."""
    try:
        import libvirt
    except ImportError as exc:
        raise RuntimeError(
            'Reading domain %s at %s needs the python libvirt module '
            '(libvirt-python) where tempest runs: %s'
            % (domain_name, uri, exc)) from exc
    conn = libvirt.openReadOnly(uri)
    if conn is None:
        raise RuntimeError('Cannot open libvirt at %s' % uri)
    try:
        return conn.lookupByName(domain_name).XMLDesc(0)
    finally:
        conn.close()


def volume_disks(xml, volume_id):
    """The <disk> elements of the domain whose <serial> is `volume_id`."""
    root = ElementTree.fromstring(xml)
    return [disk for disk in root.findall('./devices/disk')
            if (disk.findtext('serial') or '').strip() == volume_id]


def multiattach_disk_problems(xml, volume_id, read_only=False):
    """What is wrong with the volume's disk in the domain XML, as sentences.

    Empty when the domain has exactly one disk of the volume, shareable,
    with cache='none', read-only exactly when `read_only` (None: either).
    """
    disks = volume_disks(xml, volume_id)
    if len(disks) != 1:
        return ['the domain has %d disks with serial %s, expected 1'
                % (len(disks), volume_id)]
    disk = disks[0]
    problems = []
    if disk.find('shareable') is None:
        problems.append('the disk lacks <shareable/>')
    driver = disk.find('driver')
    cache = driver.get('cache') if driver is not None else None
    if cache != 'none':
        problems.append("the disk's driver has cache=%r, expected 'none'"
                        % cache)
    if read_only and disk.find('readonly') is None:
        problems.append(READ_ONLY_MISSING)
    if read_only is False and disk.find('readonly') is not None:
        problems.append('the read-write attachment has <readonly/>')
    return problems


def disk_text(xml, volume_id):
    """The volume's <disk> element(s) as text, for failure messages."""
    return '\n'.join(ElementTree.tostring(disk, encoding='unicode')
                     for disk in volume_disks(xml, volume_id)) or '(none)'
