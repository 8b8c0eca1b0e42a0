"""Skip checks the API and the scenario test classes share.

Each function takes the test class whose skip_checks() calls it and raises
its skipException. Every reason names the tempest.conf option that decides
it (``[group] option``), so that an operator knows what to set.
"""

from tempest import config

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
