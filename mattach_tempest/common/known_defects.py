"""Defects of a cloud that its operator has acknowledged in tempest.conf.

Some tests of this suite fail on clouds running released code, because the
code is wrong (each defect below was read in the cinder source and
reproduced). tempest's answer for a known upstream bug is
``decorators.skip_because(bug=...)``, which skips everywhere, also on the
clouds where the bug is fixed. Here the operator lists the defects their
cloud is known to have in ``[mattach] known_defects``; only those tests are
skipped, each naming its defect, so the skip is visible in every result and
a fixed cloud runs the test again. The default is the empty list: a
certification run finds every defect.
"""

import functools

from tempest import config
import testtools

CONF = config.CONF

DEFECTS = {
    'cinder-readonly-access-mode':
        'a readonly volume attached with non-admin credentials gets '
        'connection_info access_mode rw: cinder reads the readonly flag from '
        'admin metadata, which it loads only for admin contexts',
    'cinder-attach-mode-access-mode':
        'an attachment created with mode ro (3.54) gets connection_info '
        'access_mode rw: cinder builds it from the volume, not the '
        'attachment',
    'cinder-attachment-status-filter':
        'GET attachments?status=... returns nothing: status is an allowed '
        'filter but not a column of volume_attachment',
    'cinder-retype-encryption-check':
        'retype to an encrypted multiattach type is accepted (202): the API '
        'looks for encryption in the extra specs, where it never is',
    'cinder-failed-retype-multiattach-flag':
        'a failed retype to a multiattach type leaves multiattach true on '
        'the volume: the flag is set when the request is accepted and not '
        'restored on failure',
}


def unless_known(defect):
    """Skip the test when the cloud's operator acknowledged `defect`."""
    if defect not in DEFECTS:
        raise ValueError('Unknown defect %r: describe it in DEFECTS' % defect)

    def decorator(test):
        @functools.wraps(test)
        def wrapper(*args, **kwargs):
            if defect in CONF.mattach.known_defects:
                raise testtools.TestCase.skipException(
                    'Known defect of this cloud, acknowledged in [mattach] '
                    'known_defects: %s: %s' % (defect, DEFECTS[defect]))
            return test(*args, **kwargs)
        return wrapper
    return decorator
