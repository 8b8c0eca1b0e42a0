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

"""Sphinx configuration of the mattach-tempest documentation."""

project = 'mattach-tempest'
copyright = 'mattach-tempest developers'

extensions = [
    # The [mattach] reference is generated from the options themselves
    # (the oslo.config.opts entry point), so it cannot go stale.
    'oslo_config.sphinxext',
]

# The source tree lives in doc/source; the index is the landing page.
root_doc = 'index'
exclude_patterns = []

# A theme shipped with Sphinx: the build needs no network and no extra
# package.
html_theme = 'alabaster'
html_static_path = []
