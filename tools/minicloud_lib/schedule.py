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

"""How `run` spreads the test classes over tempest's workers.

stestr balances its workers by the test times its repository recorded in
earlier runs; a new workspace has none, and stestr then deals the
classes out in turn, by name. On real guests the classes' times differ
a hundredfold (a data-path class: minutes; a refusal: seconds): a run
dealt out so had its three workers end 461, 574 and 663 s in (672 s
wall); the same tests balanced by recorded times ended 563-618 s in.

So `run` gives tempest a worker file: every class, the longest first, on
the worker with the least seconds so far (LPT), by the seconds each
class held its worker in measured runs, its class fixtures (credentials,
class guests) included (tools/minicloud-class-seconds.json, written by
`tools/minicloud pin-times`): weighed by its tests' seconds alone, a
run's workers ended 466-570 s in against 455-458 s expected. These are
scheduling weights only: nothing reads them as results. A class the file
does not know weighs the median; after adding a long class, pin the
times again.
"""
import json
import os
import re
import statistics

from . import layout

#: The measured seconds per test class ({'<module>.<Class>': seconds}).
WEIGHTS = os.path.join(layout.REPO, 'tools', 'minicloud-class-seconds.json')


def class_of(test_id):
    """'<module>.<Class>' of a test id as `tempest run --list-tests` gives.

    Its attributes ('[id-...,negative]') and method name removed.
    """
    return test_id.split('[', 1)[0].rpartition('.')[0]


def classes_of(listing):
    """The test classes of a `--list-tests` output, in listed order."""
    seen = []
    for line in listing.splitlines():
        line = line.strip()
        # Test ids only: tempest may print other lines (warnings) too.
        if re.match(r'^[A-Za-z_][\w.]*\.[A-Za-z_]\w*(\[.*\])?$', line):
            name = class_of(line)
            if name and name not in seen:
                seen.append(name)
    return seen


def load_weights(path=None):
    """The committed class seconds; {} when there is no such file."""
    try:
        with open(path or WEIGHTS) as src:
            return json.load(src)['classes']
    except FileNotFoundError:
        return {}


def save_weights(seconds, source, path=None):
    with open(path or WEIGHTS, 'w') as out:
        about = ('seconds each test class held its tempest worker (its '
                 'tests and class fixtures), the mean over runs on real '
                 'guests; tools/minicloud run\'s scheduling weights '
                 '(tools/minicloud_lib/schedule.py), not results')
        json.dump({'about': about,
                   'source': source,
                   'classes': {name: round(value, 1)
                               for name, value in sorted(seconds.items())}},
                  out, indent=1, sort_keys=True)
        out.write('\n')


def partition(classes, weights, workers):
    """The classes in `workers` lists, longest first onto the least loaded.

    :returns: [(seconds, [class, ...])] per worker, none empty unless
        there are fewer classes than workers.
    """
    known = [weights[c] for c in classes if c in weights]
    default = statistics.median(known) if known else 1.0
    loads = [[0.0, []] for _ in range(max(1, workers))]
    # Ties broken by name: the same inputs give the same file.
    for name in sorted(classes, key=lambda c: (-weights.get(c, default), c)):
        target = min(loads, key=lambda load: (load[0], len(load[1])))
        target[0] += weights.get(name, default)
        target[1].append(name)
    return [(seconds, names) for seconds, names in loads if names]


def worker_file(partitions):
    """stestr's worker YAML: one worker per partition, a regex per class."""
    lines = []
    for _seconds, names in partitions:
        lines.append('- worker:')
        # Single-quoted YAML: backslashes are literal.
        lines += ["  - '^%s\\.'" % re.escape(name).replace("'", "''")
                  for name in names]
    return '\n'.join(lines) + '\n'
