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

"""What of a cloud this suite created: the names it gives, the plan.

Pure logic on an *inventory* (kind -> list of resources as plain dicts,
each with id, name, project_id and what its kind needs; live.py builds it
from the cloud, the unit tests by hand): which resources to remove and
why, and which were looked at and left alone and why.

The suite's names: tests/api/base.py resource_name() and tempest's
scenario manager name everything
``<[DEFAULT] resource_name_prefix>-<TestClass>-...``; tempest's dynamic
credentials name a class's projects ``<prefix>-<TestClass>-<number>`` and
their users after the project (``...-project``, ``...-project-admin``).
A name is the suite's when it starts with the prefix and then one of the
test classes of mattach_tempest: another suite's resources with the same
prefix are left alone.
"""

import collections
import importlib
import inspect
import pkgutil
import unittest

# Removal order, as the services allow it: servers (which release their
# attachments), cinder-only attachments, snapshots before their volumes,
# volumes, images, types after the volumes, per-user and per-project
# resources, then users and their projects.
KINDS = ('server', 'attachment', 'snapshot', 'volume', 'image',
         'volume_type', 'keypair', 'security_group', 'router', 'network',
         'user', 'project')

# Kinds that live inside a project: everything of a suite project is the
# suite's, whatever its name (validation keypairs, default security
# groups, tempest.common.compute's own names).
PROJECT_SCOPED = ('server', 'snapshot', 'volume', 'image',
                  'security_group', 'router', 'network')

Found = collections.namedtuple('Found', 'kind id name why data')
Skipped = collections.namedtuple('Skipped', 'kind id name reason')


class Plan:
    """What to remove (by kind, in KINDS order) and what was left alone."""

    def __init__(self):
        self.found = []
        self.skipped = []

    def of_kind(self, kind):
        return [item for item in self.found if item.kind == kind]

    def ids(self, kind):
        return {item.id for item in self.of_kind(kind)}

    def add(self, kind, resource, why):
        self.found.append(Found(kind, resource['id'], resource.get('name'),
                                why, resource))

    def skip(self, kind, resource, reason):
        self.skipped.append(Skipped(kind, resource['id'],
                                    resource.get('name'), reason))

    def ordered(self):
        return sorted(self.found, key=lambda item: KINDS.index(item.kind))

    def skipped_counts(self):
        """[(kind, reason, count)], in KINDS order, most frequent first."""
        counts = collections.Counter((s.kind, s.reason) for s in self.skipped)
        return sorted(((kind, reason, count)
                       for (kind, reason), count in counts.items()),
                      key=lambda c: (KINDS.index(c[0]), -c[2], c[1]))


class SuiteNames:
    """The names this suite gives: its prefix, then one of its classes."""

    def __init__(self, prefix, class_names):
        self.prefix = prefix or ''
        self.class_names = frozenset(class_names)
        self._head = '%s-' % self.prefix if self.prefix else ''

    def suite_class(self, name):
        """The suite's test class a name carries, or None."""
        if not name or not name.startswith(self._head):
            return None
        rest = name[len(self._head):]
        class_name, dash, _ = rest.partition('-')
        return class_name if dash and class_name in self.class_names \
            else None

    def why_not(self, name):
        """Why a name is not the suite's (for the skipped list)."""
        if not name:
            return 'has no name'
        if not name.startswith(self._head):
            return "name does not carry the suite prefix '%s'" % self.prefix
        return ("name carries the prefix '%s' but no test class of "
                "mattach_tempest" % self.prefix)


def suite_class_names(package='mattach_tempest.tests'):
    """The names of every test class of the suite's test modules.

    Imports the modules (tempest.config must be loaded first: decorators
    read it at import time).
    """
    root = importlib.import_module(package)
    names = set()
    for module_info in pkgutil.walk_packages(root.__path__,
                                             package + '.'):
        module = importlib.import_module(module_info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and \
                    issubclass(obj, unittest.TestCase):
                names.add(obj.__name__)
    return names


def plan_cleanup(inventory, names, admin=True):
    """The Plan for an inventory.

    With admin, every resource of a suite project is the suite's, and so
    is a resource anywhere whose name is; without admin (pre-provisioned
    credentials) only the names decide, in the accounts' own projects.
    """
    plan = Plan()
    projects = {}
    for project in inventory.get('project', ()):
        class_name = names.suite_class(project['name'])
        if class_name:
            projects[project['id']] = project['name']
            plan.add('project', project,
                     'dynamic credentials of %s' % class_name)
        else:
            plan.skip('project', project, names.why_not(project['name']))
    users = set()
    for user in inventory.get('user', ()):
        class_name = names.suite_class(user['name'])
        if class_name:
            users.add(user['id'])
            plan.add('user', user, 'dynamic credentials of %s' % class_name)
        else:
            plan.skip('user', user, names.why_not(user['name']))
    for kind in KINDS:
        if kind in ('project', 'user', 'attachment'):
            continue
        for resource in inventory.get(kind, ()):
            _select(plan, kind, resource, names, projects, users, admin)
    volumes = plan.ids('volume')
    for attachment in inventory.get('attachment', ()):
        if attachment['volume_id'] in volumes:
            plan.add('attachment', attachment,
                     'holds volume %s of the suite' % attachment['volume_id'])
        else:
            plan.skip('attachment', attachment,
                      'its volume is not the suite\'s')
    return plan


def _select(plan, kind, resource, names, projects, users, admin):
    class_name = names.suite_class(resource.get('name'))
    project_id = resource.get('project_id')
    if kind in PROJECT_SCOPED and project_id in projects:
        plan.add(kind, resource, 'in project %s of the suite' %
                 projects[project_id])
    elif kind == 'keypair' and resource.get('user_id') in users:
        plan.add(kind, resource, 'of a user of the suite')
    elif class_name:
        plan.add(kind, resource, 'name carries the suite prefix and %s' %
                 class_name)
    else:
        reason = names.why_not(resource.get('name'))
        if admin and kind in PROJECT_SCOPED:
            reason += ', not in a project of the suite'
        plan.skip(kind, resource, reason)
