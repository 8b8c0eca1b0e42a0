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

"""Skip checks the API and the scenario test classes share.

Each function takes the test class whose skip_checks() calls it and raises
its skipException. Every reason names the tempest.conf option that decides
it (``[group] option``), so that an operator knows what to set.
"""

from tempest import config
from tempest.lib.common import api_version_request
from tempest.lib.common import api_version_utils

from mattach_tempest.common import unstable
from mattach_tempest.services.volume import volume_actions_client

CONF = config.CONF


def unless_enabled(cls, group, option, reason):
    """Skip unless the boolean option [group] option is true.

    The skip says '<reason>: [<group>] <option> = False'.
    """
    if not getattr(getattr(CONF, group.replace('-', '_')), option):
        raise cls.skipException('%s: [%s] %s = False'
                                % (reason, group, option))


def unless_multiattach(cls):
    """Skip unless cinder is there and nova attaches multiattach volumes."""
    if not CONF.service_available.cinder:
        raise cls.skipException('Cinder (block storage) is not available')
    unless_enabled(cls, 'compute-feature-enabled', 'volume_multiattach',
                   'Volume multiattach is not enabled')


def unless_multiattach_type(cls, available):
    """Skip unless the class has a multiattach volume type (`available`)."""
    if not available:
        raise cls.skipException(
            'No multiattach volume type: '
            '[volume] volume_type_multiattach is not set')


def unless_extend_attached(cls):
    """Skip unless the cloud extends volumes while they are attached."""
    unless_enabled(cls, 'volume-feature-enabled', 'extend_attached_volume',
                   'Extending attached volumes is not enabled')


def unless_in_use_extend(test):
    """Skip a test that extends an attached volume unless the cloud may.

    For one test of a class that runs below 3.42 because its other tests
    need no more (it extends through VolumeActionsClient at 3.42): the two
    decisions a class whose every test extends makes in skip_checks,
    made when the test starts. [volume-feature-enabled]
    extend_attached_volume, then [volume] min/max_microversion around
    3.42.
    """
    unless_extend_attached(test)
    unless_microversions(test, 'volume', volume_actions_client.IN_USE_EXTEND,
                         'latest', needed_by='test %s' % test.id())


#: The scheduler hint that puts servers on different hosts or on the same
#: host, and the nova scheduler filter that honours it.
PLACEMENT_HINTS = {'different': ('different_host', 'DifferentHostFilter'),
                   'same': ('same_host', 'SameHostFilter')}


def unless_placement(cls, placement):
    """Skip unless servers can be booted on different hosts / on one host.

    'different' needs two compute hosts ([compute] min_compute_nodes) and
    the different_host hint honoured; 'same' needs the same_host hint
    honoured. A hint is honoured when its filter is in [compute-feature-
    enabled] scheduler_enabled_filters (or that list says 'all'): nova
    ignores a hint no enabled filter reads.
    """
    hint, filter_name = PLACEMENT_HINTS[placement]
    if placement == 'different' and CONF.compute.min_compute_nodes < 2:
        raise cls.skipException(
            'Servers on different hosts need two compute hosts: '
            '[compute] min_compute_nodes = %d'
            % CONF.compute.min_compute_nodes)
    if not unstable.is_scheduler_filter_enabled(filter_name):
        raise cls.skipException(
            'The scheduler does not honour the %s hint: %s is not in '
            '[compute-feature-enabled] scheduler_enabled_filters'
            % (hint, filter_name))


def _version(value):
    return api_version_request.APIVersionRequest(value)


def unless_microversions(cls, group, test_min, test_max, needed_by=None):
    """api_version_utils.check_skip_with_microversion for [group].

    The same decision against ``[group] min_microversion`` and
    ``max_microversion``; its skip reason is prefixed with the option that
    falls short and the microversion the class needs, e.g. "[compute]
    max_microversion (2.59) is below 2.60 needed by multiattach test class
    X". An invalid range still raises InvalidAPIVersionRange. `needed_by`
    names what needs the range when it is one test, not its whole class.
    """
    conf = getattr(CONF, group)
    needed_by = needed_by or 'multiattach test class %s' % cls.__name__
    try:
        api_version_utils.check_skip_with_microversion(
            test_min, test_max, conf.min_microversion, conf.max_microversion)
    except cls.skipException as exc:
        if _version(conf.max_microversion) < _version(test_min):
            why = ('[%s] max_microversion (%s) is below %s needed by %s'
                   % (group, conf.max_microversion or 'unset', test_min,
                      needed_by))
        else:
            why = ('[%s] min_microversion (%s) is above %s, the highest '
                   'microversion %s runs at'
                   % (group, conf.min_microversion, test_max, needed_by))
        raise cls.skipException('%s. %s' % (why, exc)) from None


def unless_compute_hosts(cls, count=2):
    """Skip unless the cloud has at least `count` compute hosts.

    Decided by ``[compute] min_compute_nodes``, never by asking the cloud.
    """
    if CONF.compute.min_compute_nodes < count:
        raise cls.skipException(
            'Fewer than %d compute hosts: [compute] min_compute_nodes = %d'
            % (count, CONF.compute.min_compute_nodes))
