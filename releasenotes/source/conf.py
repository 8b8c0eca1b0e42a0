# Release notes of mattach-tempest, built by `tox -e releasenotes` from the
# notes in releasenotes/notes (reno reads them from the git history).

extensions = [
    'reno.sphinxext',
]

source_suffix = '.rst'
master_doc = 'index'

project = 'mattach-tempest Release Notes'
copyright = 'mattach-tempest developers'

# Release notes have no version of their own.
version = ''
release = ''

exclude_patterns = []
pygments_style = 'sphinx'
html_theme = 'alabaster'
htmlhelp_basename = 'mattachTempestReleaseNotesdoc'
