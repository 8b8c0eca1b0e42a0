"""Retype steps shared by the volume and admin retype tests.

A mixin for subclasses of base.MultiattachBaseTest.

Every retype asks for migration_policy 'never': the rules under test are
cinder's multiattach gates and the in-place type change. A migration would
copy the data to another backend and, for an in-use volume, call nova's
swap volume (spec rule [4]), testing something else; with 'never' a retype
the backend cannot do in place fails visibly (status restored, type kept)
instead of starting one, even on a cloud that wrongly accepts the request.
"""

from mattach_tempest.common import waiters


class RetypeMixin(object):
    """Retype in place, wait for the end, compare with the volume before."""

    def retype(self, volume_id, type_name):
        """Ask for a retype in place (migration_policy 'never'): 202."""
        self.volumes_client.retype_volume(
            volume_id, new_type=type_name, migration_policy='never')

    def wait_for_retype(self, volume_id):
        """Wait until the volume leaves 'retyping'; return it.

        Cinder sets 'retyping' before it answers 202 and restores the
        previous status when the retype ends, done or failed.
        """
        def finished():
            volume = self.volumes_client.show_volume(volume_id)['volume']
            return volume['status'] != 'retyping', volume
        return waiters.wait_until(
            finished, 'the retype of volume %s to finish' % volume_id)

    def assertTypeUnchanged(self, volume):
        """The volume keeps the type and the multiattach flag it had.

        :param volume: the volume as shown before the retype.
        :returns: the volume as shown now.
        """
        shown = self.volumes_client.show_volume(volume['id'])['volume']
        self.assertEqual(volume['volume_type'], shown['volume_type'],
                         'The type of volume %s changed' % volume['id'])
        self.assertIs(volume['multiattach'], shown['multiattach'],
                      'The multiattach flag of volume %s (type %s) changed'
                      % (volume['id'], shown['volume_type']))
        return shown
