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

"""tempest's own hacking checks, applied to this plugin's code.

tempest.hacking.checks keys most checks on tempest's layout
(``tempest/api/``, ``tempest/scenario/``, ``tempest/services/``). Each
wrapper here hands tempest's check the path the file would have in tempest
(mattach_tempest/tests/api/x.py -> ./tempest/api/x.py,
mattach_tempest/services/x.py -> tempest/services/x.py), so the checks
apply unchanged. Registered as flake8 local plugins in setup.cfg.

Scope: the conformance tests (mattach_tempest/tests) and the service
clients (mattach_tempest/services). Not the project's own unit tests, nor
tools/.

flake8 hands plugins a logical line without its indentation and with its
string literals masked ('negative' -> 'xxxxxxxx'); tempest's regexes for
T105, T110, T111 (indentation) and T108, T117 (literals) need them, so the
wrappers give them back first.

One check is adapted:
- T115 (admin tests under an admin path): tempest's regex wants
  tempest/api/<service>/admin/; this plugin keeps its admin tests in
  tests/api/admin/, so any ``/admin/`` directory counts.

Not enabled:
- T107 (no service tag matching the module path): this plugin tags every
  test with its services on purpose, so that ``--regex`` selection by tag
  works across api/compute and api/volume.
- T112, T114: about tempest.lib's own code.
"""

import os
import re
import tokenize

from tempest.hacking import checks as tc

_MAPPINGS = (
    ('mattach_tempest/tests/', './tempest/'),
    ('mattach_tempest/services/', 'tempest/services/'),
)


def as_tempest_path(filename):
    """The path tempest's checks expect, or None when out of scope."""
    path = filename.replace(os.sep, '/')
    for ours, theirs in _MAPPINGS:
        index = path.find(ours)
        if index == 0 or (index > 0 and path[index - 1] == '/'):
            return theirs + path[index + len(ours):]
    return None


ADMIN_TEST_CLASS = re.compile(r'class .*Test.*\(.*Admin.*\):')


def _masked(text):
    """A string literal as flake8 masks it in logical_line.

    Its contents replaced by x, as flake8's processor.mutate_string does.
    """
    start = text.index(text[-1]) + 1
    end = len(text) - 1
    if text[-3:] in ('"""', "'''"):
        start += 2
        end -= 2
    return text[:start] + 'x' * (end - start) + text[end:]


def with_string_literals(logical_line, tokens):
    """logical_line with its string literals restored from the tokens."""
    cursor = 0
    for token in tokens:
        if token.type != tokenize.STRING:
            continue
        masked = _masked(token.string)
        index = logical_line.find(masked, cursor)
        if index < 0:
            continue
        logical_line = (logical_line[:index] + token.string +
                        logical_line[index + len(masked):])
        cursor = index + len(token.string)
    return logical_line


def _indented(logical_line, indent_level):
    """logical_line with its indentation, which flake8 strips."""
    return ' ' * indent_level + logical_line


def _results(result):
    """tempest's checks return a tuple, None or a generator: yield them."""
    if result is None:
        return
    if isinstance(result, tuple):
        yield result
    else:
        yield from result


def no_python_clients_in_tests(logical_line, filename):
    """T102: no OpenStack python client imports in the tests."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(tc.import_no_clients_in_api_and_scenario_tests(
            logical_line, path))


def scenario_tests_need_service_tags(logical_line, filename,
                                     previous_logical):
    """T104: scenario tests carry a services decorator (the last one)."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(tc.scenario_tests_need_service_tags(
            logical_line, path, previous_logical))


def no_setup_teardown_class(logical_line, indent_level, filename, noqa):
    """T105: no setUpClass/tearDownClass in tests."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(tc.no_setup_teardown_class_for_tests(
            _indented(logical_line, indent_level), path, noqa))


def no_hyphen_at_end_of_rand_name(logical_line, tokens, filename):
    """T108: rand_name() adds its own separator."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(tc.no_hyphen_at_end_of_rand_name(
            with_string_literals(logical_line, tokens), path))


def no_mutable_default_args(logical_line, filename):
    """N322: no mutable default arguments."""
    if as_tempest_path(filename):
        yield from _results(tc.no_mutable_default_args(logical_line))


def no_testtools_skip_decorator(logical_line, filename):
    """T109: skip with decorators.skip_because, not testtools.skip."""
    if as_tempest_path(filename):
        yield from _results(tc.no_testtools_skip_decorator(logical_line))


def get_resources_on_service_clients(logical_line, indent_level, filename,
                                     line_number, lines, noqa):
    """T110: GET methods of service clients are list_*/show_*."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(tc.get_resources_on_service_clients(
            _indented(logical_line, indent_level), path, line_number, lines,
            noqa))


def delete_resources_on_service_clients(logical_line, indent_level, filename,
                                        line_number, lines, noqa):
    """T111: DELETE methods of service clients are delete_*."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(tc.delete_resources_on_service_clients(
            _indented(logical_line, indent_level), path, line_number, lines,
            noqa))


def use_rand_uuid_instead_of_uuid4(logical_line, filename):
    """T113: data_utils.rand_uuid(), not uuid.uuid4()."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(tc.use_rand_uuid_instead_of_uuid4(
            logical_line, path))


def admin_tests_under_admin_path(logical_line, filename):
    """T115: admin test classes live under an admin/ directory."""
    path = as_tempest_path(filename)
    if (path and path.startswith('./tempest/api/') and
            ADMIN_TEST_CLASS.match(logical_line) and '/admin/' not in path):
        yield 0, 'T115: All admin tests should exist under admin path.'


def no_exception_message_attribute(logical_line, filename):
    """T116: exceptions have no .message attribute in Python 3."""
    if as_tempest_path(filename):
        yield from _results(tc.unsupported_exception_attribute_PY3(
            logical_line))


def negative_tests_are_tagged(logical_line, tokens, filename):
    """T117: every test of a *_negative module is tagged negative."""
    path = as_tempest_path(filename)
    if path:
        yield from _results(
            tc.negative_test_attribute_always_applied_to_negative_tests(
                with_string_literals(logical_line, tokens), path))


def no_log_warn(logical_line, filename):
    """T118: LOG.warning, not the deprecated LOG.warn."""
    if as_tempest_path(filename):
        yield from _results(tc.no_log_warn(logical_line))
