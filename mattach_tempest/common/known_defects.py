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

"""Defects of a cloud that its operator has acknowledged in tempest.conf.

Some tests of this suite fail on clouds running released code, because the
code is wrong (each defect below was read in the cinder source and
reproduced). tempest's answer for a known upstream bug is
``decorators.skip_because(bug=...)``, which skips everywhere, also on the
clouds where the bug is fixed, so nobody notices the fix. Here a test that
proves a defect always runs:

- the test is decorated ``@known_defects.detects('<name>')``, and wraps
  the one assertion that fails when the defect is present (the defect's
  signature) in ``with known_defects.signature('<name>'):``;
- a signature that fails raises DefectReproduced, a test failure whose
  message names the defect and the option that acknowledges it;
- when the operator lists the defect in ``[mattach] known_defects``,
  ``detects`` turns *that* failure into a skip naming the defect, and
  turns a pass into a failure: the defect is fixed on this cloud and the
  name must leave the list. Any other outcome (a failure of another
  assertion, an error, a timeout, a configuration skip) is reported as it
  is, so a broken setup is never mistaken for the defect.

The default is the empty list: a certification run finds every defect
(`mattach certification --config-file` refuses a tempest.conf listing
one; `mattach preflight` warns about them; `mattach report` counts the
acknowledged ones apart from the skips).
"""

import contextlib
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

# How a skip for an acknowledged defect begins (`mattach report` finds the
# defect's name after it: keep mattach_tempest/cli/report.py in step).
OPTION = '[mattach] known_defects'
ACKNOWLEDGED = 'Known defect of this cloud, acknowledged in %s' % OPTION


def _describe(defect):
    if defect not in DEFECTS:
        raise ValueError('Unknown defect %r: describe it in DEFECTS' % defect)
    return DEFECTS[defect]


class DefectReproduced(AssertionError):
    """The signature assertion of a defect failed: the cloud has it.

    An AssertionError, so a test whose defect is not acknowledged fails
    (testtools reports failures, not errors, for it).
    """

    def __init__(self, defect, observed):
        self.defect = defect
        self.observed = observed
        super().__init__(
            'Defect %s reproduced (%s): %s. A cloud known to have this '
            'defect lists it in %s.' % (defect, _describe(defect), observed,
                                        OPTION))


@contextlib.contextmanager
def signature(defect):
    """The assertion inside fails exactly when the cloud has `defect`.

    Wrap only that assertion: a failure anywhere else in the test is not
    the defect.
    """
    _describe(defect)
    try:
        yield
    except DefectReproduced:
        raise
    except AssertionError as exc:
        raise DefectReproduced(defect, str(exc).strip()) from exc


def detects(defect):
    """The test proves `defect` (see the module's docstring)."""
    description = _describe(defect)

    def decorator(test):
        @functools.wraps(test)
        def wrapper(*args, **kwargs):
            if defect not in CONF.mattach.known_defects:
                return test(*args, **kwargs)
            try:
                test(*args, **kwargs)
            except DefectReproduced as exc:
                if exc.defect != defect:
                    raise
                raise testtools.TestCase.skipException(
                    '%s: %s: %s. Reproduced: %s' % (
                        ACKNOWLEDGED, defect, description, exc.observed))
            raise AssertionError(
                'Known defect %s not reproduced: it is fixed on this cloud; '
                'remove it from %s (%s)' % (defect, OPTION, description))
        return wrapper
    return decorator
