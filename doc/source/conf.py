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

