"""Operators' tools of mattach-tempest: preflight, report, certification.

They live in the package (not only under tools/) so that an operator who
installs the plugin into tempest's virtualenv has them too
(``python -m mattach_tempest.cli.preflight``), and so that the project's
unit tests import them like any other module. tools/preflight, tools/report
and tools/certification-list are thin wrappers around their ``main()``.

Nothing here is imported by the plugin entry point or discovered as a
conformance test (tempest only loads mattach_tempest/tests).
"""
