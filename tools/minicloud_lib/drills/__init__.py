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


"""Fault drills on the local cloud (issue: faults).

Each drill disturbs a run of the suite on a running local cloud and checks
what the suite leaves and says afterwards:

- census: every resource of the cloud, by kind and id, saved and compared;
- decoys: resources of another project the suite must never touch;
- kill: the suite SIGKILLed mid-flight, then `mattach cleanup`;
- dying-service: one service stopped for a while under the suite.

`tools/fault-drills --help` lists them; .ci/run runs them on the fake-virt
cloud.
"""
