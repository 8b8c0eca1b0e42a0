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

"""Serial classes live in mattach_tempest/tests/serial_tests, discovered last.

A serial class takes tempest's write lock, which waits until no class of
any worker holds the read lock; the parallel tests its worker was to run
after it would then run alone at the end. stestr runs each worker's tests
in discovery order, so serial classes belong in the package discovered
after all the others, as tempest keeps its own in tempest/serial_tests.
"""

import unittest

from tempest import test

from mattach_tempest import plugin
from mattach_tempest.unit import base
from mattach_tempest.unit import test_plugin

SERIAL_PACKAGE = 'mattach_tempest.tests.serial_tests.'


def can_request_serial_execution(cls):
    """Whether the class may take the write lock under some configuration.

    tempest's decorators.serial marks a class; a class overriding
    is_serial_execution_requested (such as one serial only when it will
    run) may request it too.
    """
    return bool(getattr(cls, '_serial', False)) or (
        cls.is_serial_execution_requested.__func__ is not
        test.BaseTestCase.is_serial_execution_requested.__func__)


class SerialClassesTest(base.ConfiguredTestCase):

    def discovered_tests(self):
        """The conformance tests in discovery order, as tempest finds them."""
        test_dir, top_dir = plugin.MultiattachTempestPlugin().load_tests()
        loader = unittest.TestLoader()
        tests = list(test_plugin.flatten(
            loader.discover(test_dir, top_level_dir=top_dir)))
        self.assertEqual([], loader.errors,
                         'Conformance test modules failed to import')
        return tests

    def test_serial_classes_live_in_the_serial_package(self):
        misplaced = sorted({
            case.id() for case in self.discovered_tests()
            if can_request_serial_execution(type(case)) !=
            case.id().startswith(SERIAL_PACKAGE)})
        self.assertEqual(
            [], misplaced,
            'Classes that can request serial execution belong in %s, '
            'and only they' % SERIAL_PACKAGE)

    def test_serial_package_is_discovered_last(self):
        ids = [case.id() for case in self.discovered_tests()]
        serial = [test_id.startswith(SERIAL_PACKAGE) for test_id in ids]
        self.assertIn(True, serial, 'No test in %s' % SERIAL_PACKAGE)
        first = serial.index(True)
        self.assertEqual(
            [], [test_id for test_id in ids[first:]
                 if not test_id.startswith(SERIAL_PACKAGE)],
            'Tests discovered after the first serial one')
